import { Elysia, t } from "elysia";
import { BadRequestError } from "../../errors/app-error.ts";
import type { ModelInstance } from "../../cache/model-types.ts";
import { modelNotFound } from "../../errors/model-not-found.ts";
import { timed } from "../../metrics/request-timer.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { ForecastBodySchema, ForecastResponseSchema } from "../schemas/forecast-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** POST /api/v1/models/{name}/forecast: a Prophet export's forecast, in pure TypeScript. */
export function forecastRoutes({ cache, tokens, config, telemetry }: HttpDeps) {
  return new Elysia({ name: "forecast-routes" }).post(
    "/api/v1/models/:name/forecast",
    async ({ params, body }) => {
      const spec = cache.spec(params.name);
      if (spec === undefined) throw modelNotFound(params.name);
      return timed(telemetry.inferenceObserver, params.name, spec.version, async (timer) => {
        timer.stage("queue");
        const lease = await cache.acquire<ModelInstance>(params.name);
        try {
          if (lease.model.forecast === undefined) {
            throw new BadRequestError(`Model "${params.name}" is a ${lease.modelType} model, not a Prophet forecaster`, "not_a_forecaster");
          }
          timer.stage("infer");
          const forecast = await lease.model.forecast(body, config.maxForecastPeriods);
          return { value: { model: params.name, version: lease.version, forecast }, batchSize: 1 };
        } finally {
          lease.release();
        }
      });
    },
    {
      transform: guards(tokens).inference,
      params: t.Object({ name: t.String() }),
      body: ForecastBodySchema,
      response: { 200: ForecastResponseSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema, 503: ApiErrorSchema },
    },
  );
}
