import { Elysia } from "elysia";
import type { Logger } from "../../logging/logger.ts";

/** The header that carries a request's id, both ways. */
export const REQUEST_ID_HEADER = "x-request-id";

/**
 * Ids a client may choose: what tracing systems and load balancers send (UUIDs, ULIDs, hex,
 * base64, dotted or colon-separated ids), short enough for a log line. Anything else is replaced,
 * so that no client can put line breaks, quotes or a megabyte into the logs.
 */
const ACCEPTED_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/**
 * The id a request is known by: the client's `X-Request-Id` when it is acceptable, else a new
 * random UUID.
 *
 * @example
 * requestIdFor("abc-123"); // "abc-123"
 * requestIdFor("bad id\n"); // a fresh UUID
 */
export function requestIdFor(header: string | null): string {
  return header !== null && ACCEPTED_ID.test(header) ? header : crypto.randomUUID();
}

const MAX_LOGGED_PATH = 200;

/**
 * Gives every request an id, returned in `X-Request-Id` on every answer (errors included), and
 * writes one access-log line per request when it is answered: method, path, status, duration,
 * model (when the route names one) and request id — a JSON object under LOG_FORMAT=json.
 *
 * @example
 * new Elysia().use(requestLog(log)).get("/", () => "hi");
 */
export function requestLog(log: Logger) {
  const started = new WeakMap<Request, { id: string; at: number }>();
  return new Elysia({ name: "request-log" })
    .onRequest(({ request, set }) => {
      const id = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
      started.set(request, { id, at: performance.now() });
      set.headers[REQUEST_ID_HEADER] = id;
    })
    // The hook names what it reads: Elysia builds only that (a hook taking the whole context
    // makes it parse cookies and the query of every request).
    .onAfterResponse({ as: "global" }, ({ request, set, params, responseValue }: AfterResponse) => {
      if (!log.enabled("info")) return;
      const start = started.get(request);
      if (start === undefined) return;
      const path = new URL(request.url).pathname;
      const status = statusOf(responseValue, set.status);
      // Not always a string: Elysia's own router (Deno) gives null for a name it cannot decode.
      const name = params?.name;
      const model = typeof name === "string" ? name : undefined;
      log.info(`${request.method} ${path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) + "…" : path} ${status}`, {
        method: request.method,
        path: path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) + "…" : path,
        status,
        duration_ms: Math.round((performance.now() - start.at) * 1000) / 1000,
        model: model !== undefined && model.length > MAX_LOGGED_PATH ? model.slice(0, MAX_LOGGED_PATH) + "…" : model,
        request_id: start.id,
      });
    });
}

/** What the access log reads of a request once it is answered. */
interface AfterResponse {
  request: Request;
  set: { status?: number | string };
  params?: Record<string, unknown>;
  responseValue?: unknown;
}

/** The status sent: a Response's own, else what the handler set (200 by default). */
function statusOf(responseValue: unknown, status: number | string | undefined): number {
  if (responseValue instanceof Response) return responseValue.status;
  return typeof status === "number" ? status : 200;
}
