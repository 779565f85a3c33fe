import { Elysia } from "elysia";
import type { PrometheusMetrics } from "../../metrics/prometheus-metrics.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/**
 * GET /metrics: the Prometheus text exposition of every metric (absent when METRICS=false; behind
 * METRICS_TOKEN when it is set).
 */
export function metricsRoutes({ tokens }: HttpDeps, metrics: PrometheusMetrics) {
  return new Elysia({ name: "metrics-routes" }).get(
    "/metrics",
    async () => new Response(await metrics.text(), { headers: { "content-type": metrics.registry.contentType } }),
    {
      transform: guards(tokens).metrics,
      response: { 401: ApiErrorSchema, 403: ApiErrorSchema },
    },
  );
}
