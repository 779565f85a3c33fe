import { Elysia, t } from "elysia";
import { NotFoundError } from "../../errors/app-error.ts";
import { modelNotFound, shownName } from "../../errors/model-not-found.ts";
import { OipErrorSchema } from "../schemas/common-schemas.ts";
import { ModelStatisticsSchema } from "../schemas/oip-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

const errors = { 401: OipErrorSchema, 403: OipErrorSchema, 404: OipErrorSchema };

/**
 * Triton's statistics extension: per model version, request counts and durations by stage,
 * inferences and executions, model-cache hits and misses, and executions by batch size. The
 * numbers are the ones the registry's latency and the Prometheus metrics are built from.
 */
export function statisticsRoutes({ cache, tokens, telemetry }: HttpDeps) {
  const { statistics } = telemetry;
  const of = (name: string, version?: string) => {
    const spec = cache.spec(name);
    if (spec === undefined) throw modelNotFound(name);
    if (version !== undefined && version !== spec.version) {
      throw new NotFoundError(`Model "${name}" has no version ${shownName(version)} (it serves version ${spec.version})`, "version_not_found");
    }
    return { model_stats: [statistics.get(name, spec.version)] };
  };
  return new Elysia({ name: "statistics-routes", prefix: "/v2/models" }).guard(
    { transform: guards(tokens).inference },
    (app) =>
      app
        .get("/stats", () => ({ model_stats: cache.modelNames.map((name) => statistics.get(name, cache.spec(name)!.version)) }), {
          response: { 200: ModelStatisticsSchema, ...errors },
        })
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
