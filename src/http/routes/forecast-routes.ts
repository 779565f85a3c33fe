import { Elysia, t } from "elysia";
import { BadRequestError } from "../../errors/app-error.ts";
import type { ModelCache } from "../../cache/model-cache.ts";
import type { ModelInstance } from "../../cache/model-types.ts";
import type { InferenceObserver } from "../../metrics/inference-observer.ts";
import { timed } from "../../metrics/request-timer.ts";
import type { VersionTarget } from "../../versions/version-target.ts";
import { answeredBy } from "../answered-by.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { ForecastBodySchema, ForecastResponseSchema } from "../schemas/forecast-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

const responses = { 200: ForecastResponseSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 503: ApiErrorSchema };

/**
 * POST /api/v1/models/{name}[/versions/{version}]/forecast: a Prophet export's forecast, in pure
 * TypeScript. Without a version, the default version or the variant the model's routing picks
 * answers (and a shadow copy may go to another); the answer names the version.
 */
export function forecastRoutes({ cache, router, tokens, config, telemetry }: HttpDeps) {
  const forecast = (name: string, version: string | undefined, body: unknown, request: Request, set: { headers: Record<string, unknown> }) => {
    const route = router.resolve(name, version, request.headers);
    answeredBy(set, route.target);
    return router.run(route, (target) => forecastWith(cache, telemetry.inferenceObserver, target, body, config.maxForecastPeriods));
  };
  return new Elysia({ name: "forecast-routes" }).guard({ transform: guards(tokens).inference }, (app) =>
    app
      .post("/api/v1/models/:name/forecast", ({ params, body, request, set }) => forecast(params.name, undefined, body, request, set), {
        params: t.Object({ name: t.String() }),
        body: ForecastBodySchema,
        response: responses,
      })
      .post(
        "/api/v1/models/:name/versions/:version/forecast",
        ({ params, body, request, set }) => forecast(params.name, params.version, body, request, set),
        {
          params: t.Object({ name: t.String(), version: t.String() }),
          body: ForecastBodySchema,
          response: responses,
        },
      ),
  );
}

/** One forecast by one model version, timed for the statistics and metrics. */
function forecastWith(cache: ModelCache, observer: InferenceObserver, target: VersionTarget, body: unknown, maxPeriods: number) {
  return timed(observer, target.model, target.version, async (timer) => {
    timer.stage("queue");
    const lease = await cache.acquire<ModelInstance>(target.id);
    try {
      if (lease.model.forecast === undefined) {
        throw new BadRequestError(`Model "${target.model}" is a ${lease.modelType} model, not a Prophet forecaster`, "not_a_forecaster");
      }
      timer.stage("infer");
      const forecast = await lease.model.forecast(body, maxPeriods);
      return { value: { model: target.model, version: target.version, forecast }, batchSize: 1 };
    } finally {
      lease.release();
    }
  });
}
