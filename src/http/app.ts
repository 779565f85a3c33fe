import { Elysia } from "elysia";
import { errorHandler } from "./plugins/error-handler.ts";
import { jsonBody } from "./plugins/json-body.ts";
import { docs } from "./plugins/docs.ts";
import { cors } from "./plugins/cors.ts";
import { modelsRoutes } from "./routes/models-routes.ts";
import { sentimentRoutes } from "./routes/sentiment-routes.ts";
import { probeRoutes } from "./routes/probe-routes.ts";
import { forecastRoutes } from "./routes/forecast-routes.ts";
import { hostsRoutes } from "./routes/hosts-routes.ts";
import { inferenceRoutes } from "./routes/inference-routes.ts";
import { repositoryRoutes } from "./routes/repository-routes.ts";
import { watchRoutes } from "./routes/watch-routes.ts";
import { statisticsRoutes } from "./routes/statistics-routes.ts";
import { metricsRoutes } from "./routes/metrics-routes.ts";
import { requestLog } from "./plugins/request-log.ts";
import { versionsRoutes } from "./routes/versions-routes.ts";
import { clusterForwarding } from "./plugins/cluster-forwarding.ts";
import { clusterRoutes } from "./routes/cluster-routes.ts";
import type { HttpDeps } from "./http-deps.ts";
import { SERVICE_VERSION } from "../version.ts";

/**
 * The HTTP application: CORS (when configured), every controller, the JSON body reader with its
 * size limit, one error mapper, and the API documentation. Built by the composition root; tests drive it with
 * `app.handle(new Request(...))` or through a real listening server.
 *
 * @example
 * const app = buildApp(deps);
 * const response = await app.handle(new Request("http://localhost/v2/health/live"));
 */
export function buildApp(deps: HttpDeps) {
  // Cluster forwarding re-sends a request to this app when no holder answered it.
  let handle = (_request: Request): Promise<Response> => Promise.reject(new Error("The app is not built yet"));
  const app = new Elysia({
    name: "model-cache",
    // Our own reader enforces MAX_BODY_BYTES while it streams, with a JSON 413 even for a huge
    // declared Content-Length; Bun's own limit (a bare 413) is set out of the way.
    serve: { maxRequestBodySize: Number.MAX_SAFE_INTEGER },
  })
    .use(requestLog(deps.log))
    .use(deps.cluster === undefined ? new Elysia({ name: "no-cluster" }) : clusterForwarding(deps.cluster, deps.config.sentimentModel, (request): Promise<Response> => handle(request)))
    .use(cors(deps.config.corsOrigins))
    .use(errorHandler(deps.log))
    .use(jsonBody(deps.config.maxBodyBytes))
    .use(docs(SERVICE_VERSION))
    .use(probeRoutes(deps))
    .use(modelsRoutes(deps))
    .use(versionsRoutes(deps))
    .use(sentimentRoutes(deps))
    .use(forecastRoutes(deps))
    .use(hostsRoutes(deps))
    .use(watchRoutes(deps))
    .use(clusterRoutes(deps))
    .use(statisticsRoutes(deps))
    .use(inferenceRoutes(deps))
    .use(repositoryRoutes(deps));
  const metrics = deps.telemetry.prometheus;
  const built = metrics === undefined ? app : app.use(metricsRoutes(deps, metrics));
  handle = (request) => built.handle(request);
  return built;
}

/** The application type, for typed clients and tests. */
export type App = ReturnType<typeof buildApp>;
