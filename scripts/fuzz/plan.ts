/**
 * Plans request number `index` of a run: picks a category (valid, mutated, random bytes, path
 * trick, admin action, …) and a route, and builds the request. Pure: the same seed and index
 * always give the same request.
 */
import { bigUnderLimit, deepJson, malformedJson, sizedBody } from "./body-attacks.ts";
import { authVariants } from "./auth-variants.ts";
import type { FuzzRequest, RequestBody } from "./fuzz-request.ts";
import { invalidUtf8, randomJson, randomUnicode, type Json } from "./json-values.ts";
import { mutate } from "./mutate.ts";
import { matchesRoute, namedModels } from "./named-models.ts";
import { pathTrick } from "./path-tricks.ts";
import { Rng } from "./rng.ts";
import { fillPath, SWAGGER_ASSETS, type RouteSpec } from "./routes.ts";
import type { FuzzTarget, ModelInfo } from "./target.ts";
import { pickModel } from "./valid-bodies.ts";

/** How often each kind of request is planned (relative weights). */
export const CATEGORY_WEIGHTS = {
  valid: 18,
  mutated: 24,
  randomJson: 4,
  randomBytes: 3,
  invalidUtf8: 3,
  malformedJson: 4,
  deepJson: 2,
  oversize: 2,
  bigUnderLimit: 2,
  chunked: 1,
  wrongMethod: 4,
  contentType: 4,
  auth: 6,
  pathTrick: 10,
  query: 2,
  unknownRoute: 2,
  admin: 3,
} as const;

/** A kind of request. */
export type Category = keyof typeof CATEGORY_WEIGHTS;

/** What a planner needs besides the seed. */
export interface PlanContext {
  seed: number;
  target: FuzzTarget;
  routes: readonly RouteSpec[];
}

const encoder = new TextEncoder();

/**
 * Plans one request.
 *
 * @example
 * const request = planRequest({ seed: 1, target, routes: ROUTES }, 0);
 */
export function planRequest(context: PlanContext, index: number): FuzzRequest {
  const rng = Rng.forRequest(context.seed, index);
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const { json: _json, ...request }: FuzzRequest & { json?: Json } = PLANNERS[category](rng, context, index);
  request.models = namedModels(request, context.target, context.routes);
  const unload = context.routes.find((route) => route.template.endsWith("/unload"));
  if (unload !== undefined && request.models.length > 0 && matchesRoute(request.path, unload) && request.headers.authorization?.includes(context.target.adminToken)) {
    request.unload = request.models[0]!;
  }
  return request;
}

type Planner = (rng: Rng, context: PlanContext, index: number) => FuzzRequest;

/** A valid request to `route`, the base of most categories. */
function valid(rng: Rng, { target }: PlanContext, route: RouteSpec, index: number, category: Category): FuzzRequest & { json: Json | undefined } {
  const candidates = route.models?.(target) ?? [];
  const model: ModelInfo | undefined = route.models === undefined ? undefined : pickModel(rng, target, candidates);
  const otherNames = route.names?.(target) ?? [];
  const name = model?.name ?? (otherNames.length > 0 ? rng.pick(otherNames) : "");
  const path = fillPath(route, { name, version: model?.version ?? "1.0.0", file: rng.pick(SWAGGER_ASSETS) });
  const json = route.body?.(rng, target, model);
  const headers: Record<string, string> = { ...validAuth(rng, route, target) };
  const request: FuzzRequest & { json: Json | undefined } = { index, category, route: route.key, method: route.method, path, headers, models: [], note: "valid", json };
  if (json !== undefined) {
    request.body = { kind: "bytes", bytes: encoder.encode(JSON.stringify(json)) };
    if (rng.chance(0.8)) headers["content-type"] = "application/json";
  }
  return request;
}

function validAuth(rng: Rng, route: RouteSpec, target: FuzzTarget): Record<string, string> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  if (route.auth === "admin") return bearer(target.adminToken);
  if (route.auth === "inference") {
    if (target.inferenceToken !== undefined) return bearer(rng.chance(0.8) ? target.inferenceToken : target.adminToken);
    return rng.chance(0.7) ? {} : bearer(target.adminToken);
  }
  return rng.chance(0.9) ? {} : bearer(target.inferenceToken ?? target.adminToken);
}

const postRoutes = (routes: readonly RouteSpec[]) => routes.filter((route) => route.method === "POST");

/** A route, picked by weight. */
function pickRoute(rng: Rng, routes: readonly RouteSpec[]): RouteSpec {
  const total = routes.reduce((sum, route) => sum + (route.weight ?? 1), 0);
  let roll = rng.float() * total;
  for (const route of routes) {
    roll -= route.weight ?? 1;
    if (roll < 0) return route;
  }
  return routes[routes.length - 1]!;
}

function withBody(request: FuzzRequest, body: RequestBody | undefined, note: string, contentType?: string): FuzzRequest {
  if (body === undefined) delete request.body;
  else request.body = body;
  if (contentType === undefined) delete request.headers["content-type"];
  else request.headers["content-type"] = contentType;
  request.note = note;
  return request;
}

/** Bytes from JSON, cut just past the limit when a mutation made them far too big to send whole. */
function jsonBytes(value: Json, maxBodyBytes: number): { bytes: Uint8Array; capped: boolean } {
  const bytes = encoder.encode(JSON.stringify(value) ?? "null");
  if (bytes.length <= maxBodyBytes * 2) return { bytes, capped: false };
  return { bytes: bytes.subarray(0, maxBodyBytes + 1024), capped: true };
}

const PLANNERS: Record<Category, Planner> = {
  valid: (rng, context, index) => valid(rng, context, pickRoute(rng, context.routes), index, "valid"),

  mutated: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "mutated");
    const { value, notes } = mutate(rng, request.json ?? {});
    const { bytes, capped } = jsonBytes(value, context.target.maxBodyBytes);
    return withBody(request, { kind: "bytes", bytes }, notes.join("; ") + (capped ? " (cut past the limit)" : ""), "application/json");
  },

  randomJson: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "randomJson");
    const { bytes } = jsonBytes(randomJson(rng, 4), context.target.maxBodyBytes);
    return withBody(request, { kind: "bytes", bytes }, "random JSON", "application/json");
  },

  randomBytes: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "randomBytes");
    const type = rng.pick([undefined, "application/json", "application/octet-stream"]);
    return withBody(request, { kind: "bytes", bytes: rng.bytes(rng.int(1, 4096)) }, "random bytes", type);
  },

  invalidUtf8: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "invalidUtf8");
    return withBody(request, { kind: "bytes", bytes: invalidUtf8(rng) }, "invalid UTF-8", rng.pick([undefined, "application/json", "application/json; charset=utf-8"]));
  },

  malformedJson: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "malformedJson");
    const { text, note } = malformedJson(rng, JSON.stringify(request.json ?? { text: "hello" }));
    return withBody(request, { kind: "bytes", bytes: encoder.encode(text) }, `malformed JSON: ${note}`, "application/json");
  },

  deepJson: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "deepJson");
    const { text, note } = deepJson(rng, rng.pick([50, 99, 101, 1000, 10_000, 100_000]));
    return withBody(request, { kind: "bytes", bytes: encoder.encode(text) }, `deep JSON: ${note}`, "application/json");
  },

  oversize: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "oversize");
    const limit = context.target.maxBodyBytes;
    const size = rng.pick([limit, limit + 1, limit + rng.int(2, 64 * 1024), Math.floor(limit * 1.5)]);
    const chunked = rng.chance(0.5);
    const bytes = sizedBody(size, rng.pick(["text", "models", "inputs"]));
    const body: RequestBody = chunked ? { kind: "chunked", bytes, chunkSize: rng.pick([1024, 16 * 1024, 64 * 1024, 256 * 1024]) } : { kind: "bytes", bytes };
    return withBody(request, body, `${size - limit >= 0 ? "+" : ""}${size - limit} bytes against the limit, ${chunked ? "chunked" : "with Content-Length"}`, "application/json");
  },

  bigUnderLimit: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "bigUnderLimit");
    const { value, note } = bigUnderLimit(rng, context.target.maxBodyBytes);
    const { bytes } = jsonBytes(value, context.target.maxBodyBytes);
    return withBody(request, { kind: "bytes", bytes }, `large but within the limit: ${note}`, "application/json");
  },

  chunked: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "chunked");
    const bytes = encoder.encode(JSON.stringify(request.json ?? {}));
    return withBody(request, { kind: "chunked", bytes, chunkSize: rng.int(1, 64) }, "valid body, chunked in small pieces", "application/json");
  },

  wrongMethod: (rng, context, index) => {
    const route = pickRoute(rng, context.routes);
    const request = valid(rng, context, route, index, "wrongMethod");
    request.method = rng.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"].filter((method) => method !== route.method));
    if (request.method === "GET" || request.method === "HEAD") delete request.body;
    else request.body ??= { kind: "bytes", bytes: encoder.encode("{}") };
    request.note = `${request.method} instead of ${route.method}`;
    return request;
  },

  contentType: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, postRoutes(context.routes)), index, "contentType");
    const text = JSON.stringify(request.json ?? {});
    const choice = rng.int(0, 6);
    if (choice === 0) return withBody(request, { kind: "form", fields: Object.entries(asObject(request.json)).map(([k, v]) => [k, JSON.stringify(v)]) }, "multipart/form-data form");
    if (choice === 1) return withBody(request, { kind: "bytes", bytes: encoder.encode(new URLSearchParams(Object.entries(asObject(request.json)).map(([k, v]) => [k, JSON.stringify(v)])).toString()) }, "urlencoded form", "application/x-www-form-urlencoded");
    if (choice === 2) return withBody(request, { kind: "bytes", bytes: encoder.encode(`<?xml version="1.0"?><request>${randomUnicode(rng, 8).replace(/[<&]/g, "")}</request>`) }, "XML body", "application/xml");
    const type = rng.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/octet-stream", "application/json; charset=utf-16", "image/png", "*/*", "application/x-www-form-urlencoded", ";;;"]);
    return withBody(request, { kind: "bytes", bytes: encoder.encode(text) }, `JSON body as ${type}`, type);
  },

  auth: (rng, context, index) => {
    const route = pickRoute(rng, context.routes.filter((candidate) => candidate.auth !== "open"));
    const request = valid(rng, context, route, index, "auth");
    const [note, header] = rng.pick(authVariants(context.target));
    if (header === undefined) delete request.headers.authorization;
    else request.headers.authorization = header;
    request.note = `auth: ${note}`;
    return request;
  },

  pathTrick: (rng, context, index) => {
    const route = pickRoute(rng, context.routes.filter((candidate) => /\{(name|version|file)\}/.test(candidate.template)));
    const request = valid(rng, context, route, index, "pathTrick");
    const trick = pathTrick(rng);
    const model = rng.pick(context.target.models);
    const values = { name: encodeURIComponent(model.name), version: encodeURIComponent(model.version), file: rng.pick(SWAGGER_ASSETS) };
    const slot = route.template.includes("{file}") ? "file" : route.template.includes("{version}") && rng.chance(0.3) ? "version" : "name";
    request.path = fillPath(route, { ...values, [slot]: trick }, true);
    request.note = `path trick in {${slot}}: ${trick.length > 40 ? `${trick.slice(0, 20)}…(${trick.length} chars)` : trick}`;
    return request;
  },

  query: (rng, context, index) => {
    const request = valid(rng, context, pickRoute(rng, context.routes), index, "query");
    const query = rng.pick(["?name=..%2F..%2Fetc%2Fpasswd", "?__proto__[x]=1&constructor=2", "?a=1&a=2&a=3", `?q=${"x".repeat(4000)}`, "?%zz=%zz", "?", "?&&&=", "#fragment"]);
    request.path += query;
    request.note = `query string ${query.slice(0, 40)}`;
    return request;
  },

  unknownRoute: (rng, context, index) => {
    const path = rng.pick([
      "/v3",
      "/v2/models",
      "/v2/models/",
      "/api/v1",
      "/api/v1/models/",
      "/api/v1/models/iris_classifier",
      "/api/v1/models/iris_classifier/infer",
      "/v2/repository/models/lexicon",
      "/v2/health",
      "/v2/health/live/extra",
      "//v2//health//live",
      "/V2/HEALTH/LIVE",
      "/swagger/assets/",
      "/.env",
      "/etc/passwd",
      `/${randomUnicode(rng, 6).replace(/[?#/%\\]/g, "")}`,
      `/${"a/".repeat(200)}`,
    ]);
    const method = rng.pick(["GET", "POST", "DELETE"]);
    const request: FuzzRequest = { index, category: "unknownRoute", route: "(no route)", method, path, headers: {}, models: [], note: "no such route" };
    if (method === "POST") request.body = { kind: "bytes", bytes: encoder.encode("{}") };
    return request;
  },

  admin: (rng, context, index) => {
    const find = (suffix: string) => context.routes.find((route) => route.key.endsWith(suffix))!;
    const action = rng.weighted({ unloadAndLoad: 35, load: 25, reloadNamed: 20, reloadAll: 6, index: 14, restartHost: 6 });
    const route = find(
      {
        unloadAndLoad: "/unload",
        load: "/load",
        reloadNamed: "/api/v1/models/reload",
        reloadAll: "/api/v1/models/reload",
        index: "/v2/repository/index",
        restartHost: "/restart",
      }[action],
    );
    const request = valid(rng, context, route, index, "admin");
    if (action === "reloadAll") request.body = { kind: "bytes", bytes: encoder.encode("{}") };
    if (action === "reloadNamed") {
      const names = [...new Set([rng.pick(context.target.models).name, rng.pick(context.target.models).name])];
      request.body = { kind: "bytes", bytes: encoder.encode(JSON.stringify({ models: names })) };
    }
    request.note = `admin action: ${action}`;
    return request;
  },
};

function asObject(value: Json | undefined): Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : { value: value ?? null };
}
