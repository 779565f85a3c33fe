import { Elysia, t } from "elysia";
import { OipErrorSchema } from "../schemas/common-schemas.ts";
import type { HttpDeps } from "../http-deps.ts";

const ProbeSchema = t.Object({ live: t.Optional(t.Boolean()), ready: t.Optional(t.Boolean()) });

/**
 * Kubernetes probes on the Open Inference Protocol's paths: live as soon as the server listens,
 * ready once loading finished and every required model is loaded.
 */
export function probeRoutes({ cache }: HttpDeps) {
  return new Elysia({ name: "probe-routes", prefix: "/v2/health" })
    .get(
      "/live",
      ({ set }) => {
        set.status = cache.isStopping ? 503 : 200;
        return { live: !cache.isStopping };
      },
      {
        response: { 200: ProbeSchema, 503: ProbeSchema },
      },
    )
    .get(
      "/ready",
      ({ set }) => {
        const ready = cache.isReady();
        set.status = ready ? 200 : 503;
        return { ready };
      },
      {
        response: { 200: ProbeSchema, 503: t.Union([ProbeSchema, OipErrorSchema]) },
      },
    );
}
