import { Elysia } from "elysia";
import type { CorsOrigins } from "../../config/cors-origins.ts";

/** Methods the API answers to; GET and POST are all it has. */
export const CORS_ALLOW_METHODS = "GET, POST, OPTIONS";
/**
 * Request headers a page may send: the bearer token, JSON bodies, and the Open Inference
 * Protocol's binary-extension and request-id headers (so that clients sending them are not
 * refused at the preflight).
 */
export const CORS_ALLOW_HEADERS = "Authorization, Content-Type, Inference-Header-Content-Length, X-Request-Id";
/**
 * Response headers a page may read besides the safelisted ones: the bearer challenge of a 401,
 * the request id, and where the JSON of a binary inference answer ends.
 */
export const CORS_EXPOSE_HEADERS = "WWW-Authenticate, X-Request-Id, Inference-Header-Content-Length";
/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Cross-origin resource sharing, for pages on other origins that call the API. Off unless
 * `origins` is given (`CORS_ORIGINS`). A preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`) is answered 204 here, before routing; every other response,
 * errors included, carries `Access-Control-Allow-Origin` when its origin is allowed: the origin
 * itself when it is listed, `*` only when any origin is. Origins not listed get no CORS header
 * at all, so the browser keeps their pages from reading answers. Every response carries
 * `Vary: Origin`, since it depends on the Origin header. No credentials mode: tokens travel in
 * `Authorization`, which browsers never add on their own.
 *
 * @example
 * new Elysia().use(cors(["https://app.example.com"])).get("/x", () => "ok");
 */
export function cors(origins: CorsOrigins | undefined) {
  const plugin = new Elysia({ name: "cors" });
  if (origins === undefined) return plugin;
  const listed = new Set(origins === "*" ? [] : origins);
  const allowedOrigin = (origin: string | null): string | undefined => {
    if (origin === null) return undefined;
    if (origins === "*") return "*";
    return listed.has(origin) ? origin : undefined;
  };
  return plugin.onRequest(({ request, set }) => {
    const origin = request.headers.get("origin");
    const allowed = allowedOrigin(origin);
    if (request.method === "OPTIONS" && origin !== null && request.headers.has("access-control-request-method")) {
      const headers: Record<string, string> = { vary: "Origin" };
      if (allowed !== undefined) {
        headers["access-control-allow-origin"] = allowed;
        headers["access-control-allow-methods"] = CORS_ALLOW_METHODS;
        headers["access-control-allow-headers"] = CORS_ALLOW_HEADERS;
        headers["access-control-max-age"] = String(CORS_MAX_AGE_SECONDS);
      }
      return new Response(null, { status: 204, headers });
    }
    set.headers.vary = "Origin";
    if (allowed !== undefined) {
      set.headers["access-control-allow-origin"] = allowed;
      set.headers["access-control-expose-headers"] = CORS_EXPOSE_HEADERS;
    }
  });
}
