import { Elysia } from "elysia";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import {
  HealthSchema,
  ModelListSchema,
  RegistrySchema,
  ReloadBodySchema,
  ReloadResultSchema,
} from "../schemas/registry-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";
import { describeRegistry, type ModelRegistry } from "../../routing/registry-view.ts";
import { summarize } from "../../cluster/cluster-admin.ts";
import { clusterHealth } from "../../cluster/cluster-health.ts";

/** The answer of a reload: what loaded and what failed. */
function reloadAnswer(summary: { loaded: string[]; failed: string[] }) {
  return {
    status: "reloaded" as const,
    loaded_count: summary.loaded.length,
    failed_count: summary.failed.length,
    loaded_models: summary.loaded,
    failed_models: summary.failed,
  };
}

/** /api/v1/models: the registry, health, the model list and reload. */
export function modelsRoutes({ cache, router, tokens, batching, cluster }: HttpDeps) {
  const guard = guards(tokens);
  return new Elysia({ name: "models-routes", prefix: "/api/v1/models" })
    .get("/registry", () => withBatching(describeRegistry(cache, router), batching), {
      transform: guard.inference,
      response: { 200: RegistrySchema, 401: ApiErrorSchema },
    })
    .get(
      "/health",
      ({ set }) => {
        const health = cluster === undefined ? cache.health() : clusterHealth(cache.health(), cluster.node);
        set.status = health.status === "healthy" || health.status === "degraded" ? 200 : 503;
        return health;
      },
      {
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    )
    .get(
      "/models",
      () => ({
        is_loaded: cache.isLoaded,
        models: describeRegistry(cache, router).models.map(({ name, model_type, status, versions }) => ({
          name,
          type: model_type,
          status,
          ...(versions !== undefined && { versions: versions.map(({ version, status }) => ({ version, status })) }),
        })),
      }),
      {
        transform: guard.inference,
        response: { 200: ModelListSchema, 401: ApiErrorSchema },
      },
    )
    .post(
      "/reload",
      async ({ body }) => {
        // Unknown names are a 404 before anything reloads; a name given twice reloads once; a
        // versioned model reloads every version it serves.
        const ids = body?.models?.flatMap((name) => router.idsOf(name));
        if (cluster !== undefined) {
          const result = await cluster.admin.run("reload", ids);
          const { succeeded, failed } = summarize(result);
          return { ...reloadAnswer({ loaded: succeeded, failed }), replicas: result.replicas };
        }
        return reloadAnswer(await cache.reload(ids));
      },
      {
        transform: guard.admin,
        body: ReloadBodySchema,
        response: { 200: ReloadResultSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    );
}

/** Each entry (and each version) with its record's batching figures, once it has run a batch. */
function withBatching(registry: ModelRegistry, batching: HttpDeps["batching"]): ModelRegistry {
  const add = <T extends { name: string; id?: string }>(entry: T): T => {
    const stats = batching.of(entry.id ?? entry.name);
    return stats === undefined ? entry : { ...entry, batching: stats };
  };
  return {
    ...registry,
    models: registry.models.map((model) => ({ ...add(model), ...(model.versions !== undefined && { versions: model.versions.map(add) }) })),
  };
}
