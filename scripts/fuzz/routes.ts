/**
 * Every route the service serves, with what a valid request to it looks like. The table is
 * checked against the running server's `/openapi.json` (openapi.yaml, which a contract test
 * keeps equal to the routes the app serves), so a new route cannot be missed.
 */
import type { Json } from "./json-values.ts";
import type { Rng } from "./rng.ts";
import { forecastModels, inferableModels, type FuzzTarget, type ModelInfo } from "./target.ts";
import { defaultVersionBody, forecastBody, indexBody, inferBody, reloadBody, repositoryActionBody, sentimentBody } from "./valid-bodies.ts";

/** Which token a route wants. */
export type RouteAuth = "open" | "inference" | "admin";

/** One route. */
export interface RouteSpec {
  /** "POST /v2/models/{name}/infer", as /openapi.json spells the path. */
  key: string;
  method: string;
  /** Path with `{name}`, `{version}` or `{file}` placeholders. */
  template: string;
  auth: RouteAuth;
  /** The models a valid request may name in `{name}`. */
  models?: (target: FuzzTarget) => ModelInfo[];
  /** What else `{name}` may be (host names), when it is not a model. */
  names?: (target: FuzzTarget) => string[];
  /** How often the route is picked relative to others (default 1): restarts and full reloads are costly. */
  weight?: number;
  /** A valid body (for `model` when the route names one); `undefined` sends none. */
  body?: (rng: Rng, target: FuzzTarget, model: ModelInfo | undefined) => Json | undefined;
}

/** Swagger UI's assets, the values of `{file}`. */
export const SWAGGER_ASSETS = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png"];

const anyModel = (target: FuzzTarget) => target.models;

const route = (spec: Omit<RouteSpec, "key">): RouteSpec => ({ key: `${spec.method} ${spec.template}`, ...spec });

/** The routes of the service. */
export const ROUTES: readonly RouteSpec[] = [
  route({ method: "GET", template: "/", auth: "open" }),
  route({ method: "GET", template: "/docs", auth: "open" }),
  route({ method: "GET", template: "/swagger", auth: "open" }),
  route({ method: "GET", template: "/swagger/json", auth: "open" }),
  route({ method: "GET", template: "/swagger/assets/{file}", auth: "open" }),
  route({ method: "GET", template: "/favicon.ico", auth: "open" }),
  route({ method: "GET", template: "/openapi.yaml", auth: "open" }),
  route({ method: "GET", template: "/openapi.json", auth: "open" }),
  route({ method: "GET", template: "/v2/health/live", auth: "open" }),
  route({ method: "GET", template: "/v2/health/ready", auth: "open" }),
  route({ method: "GET", template: "/api/v1/models/registry", auth: "inference" }),
  route({ method: "GET", template: "/api/v1/models/health", auth: "open" }),
  route({ method: "GET", template: "/api/v1/models/models", auth: "inference" }),
  route({
    method: "POST",
    template: "/api/v1/models/reload",
    auth: "admin",
    weight: 0.3,
    models: anyModel,
    body: (rng, _target, model) => reloadBody(rng, model === undefined ? [] : [model.name]),
  }),
  route({ method: "POST", template: "/api/v1/sentiment", auth: "inference", body: (rng) => sentimentBody(rng) }),
  route({ method: "POST", template: "/api/v1/models/{name}/forecast", auth: "inference", models: forecastModels, body: (rng) => forecastBody(rng) }),
  route({
    method: "POST",
    template: "/api/v1/models/{name}/versions/{version}/forecast",
    auth: "inference",
    models: forecastModels,
    body: (rng) => forecastBody(rng),
  }),
  route({ method: "PUT", template: "/api/v1/models/{name}/default-version", auth: "admin", weight: 0.3, models: anyModel, body: (_rng, _t, model) => defaultVersionBody(model!) }),
  route({ method: "DELETE", template: "/api/v1/models/{name}/default-version", auth: "admin", weight: 0.3, models: anyModel }),
  route({ method: "GET", template: "/v2", auth: "open" }),
  route({ method: "GET", template: "/v2/models/{name}", auth: "inference", models: anyModel }),
  route({ method: "GET", template: "/v2/models/{name}/versions/{version}", auth: "inference", models: anyModel }),
  route({ method: "GET", template: "/v2/models/{name}/ready", auth: "inference", models: anyModel }),
  route({ method: "GET", template: "/v2/models/{name}/versions/{version}/ready", auth: "inference", models: anyModel }),
  route({ method: "POST", template: "/v2/models/{name}/infer", auth: "inference", models: inferableModels, body: (rng, _t, model) => inferBody(rng, model!) }),
  route({
    method: "POST",
    template: "/v2/models/{name}/versions/{version}/infer",
    auth: "inference",
    models: inferableModels,
    body: (rng, _t, model) => inferBody(rng, model!),
  }),
  route({ method: "GET", template: "/v2/models/stats", auth: "inference" }),
  route({ method: "GET", template: "/v2/models/{name}/stats", auth: "inference", models: anyModel }),
  route({ method: "GET", template: "/v2/models/{name}/versions/{version}/stats", auth: "inference", models: anyModel }),
  route({ method: "GET", template: "/metrics", auth: "open", weight: 0.3 }),
  route({ method: "GET", template: "/api/v1/hosts", auth: "inference" }),
  route({ method: "GET", template: "/api/v1/watch", auth: "inference" }),
  route({ method: "GET", template: "/api/v1/cluster", auth: "inference" }),
  route({ method: "POST", template: "/api/v1/hosts/{name}/restart", auth: "admin", weight: 0.1, names: (target) => target.hosts }),
  route({ method: "POST", template: "/v2/repository/index", auth: "admin", body: (rng) => indexBody(rng) }),
  route({ method: "POST", template: "/v2/repository/models/{name}/load", auth: "admin", weight: 0.4, models: anyModel, body: (rng) => repositoryActionBody(rng) }),
  // Every unload with the admin token is an episode that holds its model's requests back: rarer.
  route({ method: "POST", template: "/v2/repository/models/{name}/unload", auth: "admin", weight: 0.3, models: anyModel, body: (rng) => repositoryActionBody(rng) }),
];

/**
 * Fills a route's placeholders. Names are percent-encoded unless `raw` (path tricks pass their
 * own encoding).
 *
 * @example
 * fillPath(route, { name: "iris_classifier", version: "1.0.0" }); // "/v2/models/iris_classifier/versions/1.0.0/infer"
 */
export function fillPath(spec: RouteSpec, values: { name?: string; version?: string; file?: string }, raw = false): string {
  const encode = raw ? (value: string) => value : encodeURIComponent;
  return spec.template
    .replace("{name}", encode(values.name ?? ""))
    .replace("{version}", encode(values.version ?? ""))
    .replace("{file}", encode(values.file ?? ""));
}

/**
 * The routes /openapi.json lists that the table lacks, and the table's routes that
 * /openapi.json lacks. Both empty when the table is complete.
 *
 * @example
 * const { missing } = compareWithOpenApi(ROUTES, await (await fetch(`${url}/openapi.json`)).json());
 */
export function compareWithOpenApi(routes: readonly RouteSpec[], document: { paths?: Record<string, Record<string, unknown>> }): {
  missing: string[];
  stale: string[];
} {
  const served = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) served.add(`${method.toUpperCase()} ${path}`);
  }
  const known = new Set(routes.map((spec) => spec.key));
  return { missing: [...served].filter((key) => !known.has(key)), stale: [...known].filter((key) => !served.has(key)) };
}

/** A table entry for a route found only in /openapi.json: fuzzed with the admin token and `{}` bodies. */
export function discoveredRoute(key: string): RouteSpec {
  const [method, template] = key.split(" ") as [string, string];
  return {
    key,
    method,
    template,
    auth: "admin",
    ...(template.includes("{name}") && { models: anyModel }),
    ...(method !== "GET" && method !== "HEAD" && { body: () => ({}) }),
  };
}
