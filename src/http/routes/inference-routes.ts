import { Elysia, t } from "elysia";
import { InferenceService } from "../../inference/inference-service.ts";
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
export function inferenceRoutes({ cache, tokens, config }: HttpDeps) {
  const service = new InferenceService(cache, config.maxBatch, config.maxTextLength);
  const guard = guards(tokens).inference;
  const ready = (name: string, version: string | undefined, set: { status?: number | string }) => {
    const isReady = service.isReady(name, version);
    set.status = isReady ? 200 : 503;
    return isReady ? { name, ready: true } : { error: `Model "${name}" is not ready (${cache.entry(name)?.status})` };
  };
  return new Elysia({ name: "inference-routes", prefix: "/v2" })
    .get("", () => ({ name: "model-cache", version: SERVICE_VERSION, extensions: ["model_repository"] }), {
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
        .post("/models/:name/infer", ({ params, body }) => service.infer(params.name, undefined, body), {
          params: NameParams,
          body: InferRequestSchema,
          response: { 200: InferResponseSchema, ...errors, 413: OipErrorSchema },
        })
        .post("/models/:name/versions/:version/infer", ({ params, body }) => service.infer(params.name, params.version, body), {
          params: VersionParams,
          body: InferRequestSchema,
          response: { 200: InferResponseSchema, ...errors, 413: OipErrorSchema },
        }),
    );
}
