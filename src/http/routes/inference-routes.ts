import { Elysia, t } from "elysia";
import { InferenceService, type InferAnswer } from "../../inference/inference-service.ts";
import type { InferResponse } from "../../inference/encode-response.ts";
import { INFERENCE_HEADER_CONTENT_LENGTH } from "../../inference/binary/split-body.ts";
import { binaryTensorData } from "../plugins/json-body.ts";
import { SERVICE_VERSION } from "../../version.ts";
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

/**
 * The Open Inference Protocol's REST endpoints (KServe V2, as NVIDIA Triton speaks them): server
 * metadata, model metadata and readiness, and inference — with and without a version segment.
 */
export function inferenceRoutes({ cache, tokens, config, telemetry }: HttpDeps) {
  const service = new InferenceService(cache, config.maxBatch, config.maxTextLength, telemetry.inferenceObserver);
  const guard = guards(tokens).inference;
  const ready = (name: string, version: string | undefined, set: { status?: number | string }) => {
    const isReady = service.isReady(name, version);
    set.status = isReady ? 200 : 503;
    return isReady ? { name, ready: true } : { error: `Model "${name}" is not ready (${cache.entry(name)?.status})` };
  };
  return new Elysia({ name: "inference-routes", prefix: "/v2" })
    .get("", () => ({ name: "model-cache", version: SERVICE_VERSION, extensions: [...EXTENSIONS] }), {
      response: { 200: ServerMetadataSchema },
    })
    .guard({ transform: guard }, (app) =>
      app
        .get("/models/:name", ({ params }) => service.metadata(params.name), {
          params: NameParams,
          response: { 200: ModelMetadataSchema, ...errors },
        })
        .get("/models/:name/versions/:version", ({ params }) => service.metadata(params.name, params.version), {
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
        .post("/models/:name/infer", async ({ params, body, request }) => reply(await service.infer(params.name, undefined, body, binaryTensorData(request))), {
          params: NameParams,
          body: InferRequestSchema,
          response: { 200: InferResponseSchema, ...errors, 413: OipErrorSchema },
        })
        .post(
          "/models/:name/versions/:version/infer",
          async ({ params, body, request }) => reply(await service.infer(params.name, params.version, body, binaryTensorData(request))),
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
 * body, whose `Inference-Header-Content-Length` says where the JSON ends (as Triton answers).
 */
function reply(answer: InferAnswer): InferResponse {
  if ("json" in answer) return answer.json;
  const { body, jsonLength } = answer.binary;
  const response = new Response(body as Uint8Array<ArrayBuffer>, {
    headers: { "content-type": "application/octet-stream", [INFERENCE_HEADER_CONTENT_LENGTH.toLowerCase()]: String(jsonLength) },
  });
  // Elysia sends a Response as it is (no schema check); its types only know the JSON answer.
  return response as unknown as InferResponse;
}
