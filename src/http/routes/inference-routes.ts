import { Elysia, t } from "elysia";
import { InferenceService, type InferAnswer } from "../../inference/inference-service.ts";
import type { InferResponse } from "../../inference/encode-response.ts";
import { INFERENCE_HEADER_CONTENT_LENGTH } from "../../inference/binary/split-body.ts";
import { binaryTensorData } from "../plugins/json-body.ts";
import { SERVICE_VERSION } from "../../version.ts";
import { answeredBy } from "../answered-by.ts";
import { OipErrorSchema } from "../schemas/common-schemas.ts";
import {
  InferRequestSchema,
  InferResponseSchema,
  ModelMetadataSchema,
  ModelReadySchema,
  ServerMetadataSchema,
} from "../schemas/oip-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

const NameParams = t.Object({ name: t.String() });
const VersionParams = t.Object({ name: t.String(), version: t.String() });
const errors = { 400: OipErrorSchema, 401: OipErrorSchema, 404: OipErrorSchema, 503: OipErrorSchema };
type Set = { status?: number | string; headers: Record<string, unknown> };

/**
 * The Open Inference Protocol's REST endpoints (KServe V2, as NVIDIA Triton speaks them): server
 * metadata, model metadata and readiness, and inference — with a version segment (that version)
 * and without (the default version, or the variant the model's routing picks, plus its shadow
 * copy). Every model answer names the version in `X-Model-Name` / `X-Model-Version`.
 */
export function inferenceRoutes({ cache, router, tokens, config, telemetry }: HttpDeps) {
  const service = new InferenceService(cache, config.maxBatch, config.maxTextLength, telemetry.inferenceObserver);
  const guard = guards(tokens).inference;
  const metadata = (name: string, version: string | undefined, set: Set) => {
    const target = router.locate(name, version);
    answeredBy(set, target);
    return service.metadata(target, router.versionsOf(name));
  };
  // Without a version, ready means every version the name routes traffic to is loaded.
  const ready = (name: string, version: string | undefined, set: Set) => {
    const target = router.locate(name, version);
    answeredBy(set, target);
    const ids = version === undefined ? router.routedIds(name) : [target.id];
    const waiting = ids.find((id) => cache.status(id) !== "loaded");
    set.status = waiting === undefined ? 200 : 503;
    if (waiting === undefined) return { name, ready: true };
    return { error: `Model "${name}" is not ready (${waiting === name ? "" : `${waiting} is `}${cache.status(waiting)})` };
  };
  const infer = async (name: string, version: string | undefined, body: unknown, request: Request, set: Set) => {
    const route = router.resolve(name, version, request.headers);
    answeredBy(set, route.target);
    const binary = binaryTensorData(request);
    return reply(await router.run(route, (target) => service.infer(target, body, binary)), set);
  };
  return new Elysia({ name: "inference-routes", prefix: "/v2" })
    .get("", () => ({ name: "model-cache", version: SERVICE_VERSION, extensions: [...EXTENSIONS] }), {
      response: { 200: ServerMetadataSchema },
    })
    .guard({ transform: guard }, (app) =>
      app
        .get("/models/:name", ({ params, set }) => metadata(params.name, undefined, set), {
          params: NameParams,
          response: { 200: ModelMetadataSchema, ...errors },
        })
        .get("/models/:name/versions/:version", ({ params, set }) => metadata(params.name, params.version, set), {
          params: VersionParams,
          response: { 200: ModelMetadataSchema, ...errors },
        })
        .get("/models/:name/ready", ({ params, set }) => ready(params.name, undefined, set), {
          params: NameParams,
          response: { 200: ModelReadySchema, ...errors },
        })
        .get("/models/:name/versions/:version/ready", ({ params, set }) => ready(params.name, params.version, set), {
          params: VersionParams,
          response: { 200: ModelReadySchema, ...errors },
        })
        .post("/models/:name/infer", ({ params, body, request, set }) => infer(params.name, undefined, body, request, set), {
          params: NameParams,
          body: InferRequestSchema,
          response: { 200: InferResponseSchema, ...errors, 413: OipErrorSchema },
        })
        .post(
          "/models/:name/versions/:version/infer",
          ({ params, body, request, set }) => infer(params.name, params.version, body, request, set),
          {
            params: VersionParams,
            body: InferRequestSchema,
            response: { 200: InferResponseSchema, ...errors, 413: OipErrorSchema },
          },
        ),
    );
}

/** The protocol extensions this server speaks, as Triton lists them in its server metadata. */
export const EXTENSIONS = ["model_repository", "binary_tensor_data", "statistics"] as const;

/**
 * JSON as JSON; with binary outputs, the JSON and the bytes after it in one application/octet-stream
 * body, whose `Inference-Header-Content-Length` says where the JSON ends (as Triton answers), with
 * the headers set so far (which version answered: a Response is sent as it is).
 */
function reply(answer: InferAnswer, set: Set): InferResponse {
  if ("json" in answer) return answer.json;
  const { body, jsonLength } = answer.binary;
  const response = new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      ...(set.headers as Record<string, string>),
      "content-type": "application/octet-stream",
      [INFERENCE_HEADER_CONTENT_LENGTH.toLowerCase()]: String(jsonLength),
    },
  });
  // Elysia sends a Response as it is (no schema check); its types only know the JSON answer.
  return response as unknown as InferResponse;
}
