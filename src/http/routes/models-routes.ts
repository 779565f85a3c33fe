import { Elysia } from "elysia";
import { ApiErrorSchema, BEARER } from "../schemas/common-schemas.ts";
import {
  HealthSchema,
  ModelListSchema,
  RegistrySchema,
  ReloadBodySchema,
  ReloadResultSchema,
} from "../schemas/registry-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** /api/v1/models: the registry, health, the model list and reload. */
export function modelsRoutes({ cache, tokens }: HttpDeps) {
  const guard = guards(tokens);
  return new Elysia({ name: "models-routes", prefix: "/api/v1/models", detail: { tags: ["models"] } })
    .get("/registry", () => cache.getRegistry(), {
      transform: guard.inference,
      response: { 200: RegistrySchema, 401: ApiErrorSchema },
      detail: { summary: "Every model with its status, timings, version, error and use counters", security: BEARER },
    })
    .get(
      "/health",
      ({ set }) => {
        const health = cache.health();
        set.status = health.status === "healthy" || health.status === "degraded" ? 200 : 503;
        return health;
      },
      {
        response: { 200: HealthSchema, 503: HealthSchema },
        detail: { summary: "healthy / degraded (200), loading / unhealthy (503)" },
      },
    )
    .get(
      "/models",
      () => ({
        is_loaded: cache.isLoaded,
        models: cache.getRegistry().models.map(({ name, model_type, status }) => ({ name, type: model_type, status })),
      }),
      {
        transform: guard.inference,
        response: { 200: ModelListSchema, 401: ApiErrorSchema },
        detail: { summary: "Names, types and statuses", security: BEARER },
      },
    )
    .post(
      "/reload",
      async ({ body }) => {
        // Unknown names are a 404 before anything reloads; a name given twice reloads once.
        const summary = await cache.reload(body?.models);
        return {
          status: "reloaded" as const,
          loaded_count: summary.loaded.length,
          failed_count: summary.failed.length,
          loaded_models: summary.loaded,
          failed_models: summary.failed,
        };
      },
      {
        transform: guard.admin,
        body: ReloadBodySchema,
        response: { 200: ReloadResultSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
        detail: {
          summary: "Reload models from disk (all, or the named ones); the old instances serve until the new ones are ready",
          security: BEARER,
        },
      },
    );
}
