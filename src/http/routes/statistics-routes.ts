import { Elysia, t } from "elysia";
import { modelNameOf } from "../../cache/model-types.ts";
import { OipErrorSchema } from "../schemas/common-schemas.ts";
import { ModelStatisticsSchema } from "../schemas/oip-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

const errors = { 401: OipErrorSchema, 403: OipErrorSchema, 404: OipErrorSchema };

/**
 * Triton's statistics extension: per model version, request counts and durations by stage,
 * inferences and executions, model-cache hits and misses, and executions by batch size. The
 * numbers are the ones the registry's latency and the Prometheus metrics are built from. Without
 * a version, a model's statistics list every version it serves, as Triton's do.
 */
export function statisticsRoutes({ cache, router, tokens, telemetry }: HttpDeps) {
  const { statistics } = telemetry;
  const of = (name: string, version?: string) => {
    const versions = version === undefined ? router.versionsOf(name) : [router.locate(name, version).version];
    return { model_stats: versions.map((served) => statistics.get(name, served)) };
  };
  return new Elysia({ name: "statistics-routes", prefix: "/v2/models" }).guard(
    { transform: guards(tokens).inference },
    (app) =>
      app
        .get(
          "/stats",
          () => ({
            model_stats: cache.modelNames.map((id) => {
              const spec = cache.spec(id)!;
              return statistics.get(modelNameOf(spec), spec.version);
            }),
          }),
          { response: { 200: ModelStatisticsSchema, ...errors } },
        )
        .get("/:name/stats", ({ params }) => of(params.name), {
          params: t.Object({ name: t.String() }),
          response: { 200: ModelStatisticsSchema, ...errors },
        })
        .get("/:name/versions/:version/stats", ({ params }) => of(params.name, params.version), {
          params: t.Object({ name: t.String(), version: t.String() }),
          response: { 200: ModelStatisticsSchema, ...errors },
        }),
  );
}
