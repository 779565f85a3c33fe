import { Elysia } from "elysia";
import { AppError, BadRequestError, NotFoundError, PayloadTooLargeError, UnavailableError, ValidationError } from "../../errors/app-error.ts";
import type { Logger } from "../../logging/logger.ts";
import { HostCrashedError } from "../../host/host-errors.ts";

/** The error shape of the /api routes. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** The error shape of the Open Inference Protocol routes (/v2). */
export interface OipErrorBody {
  error: string;
}

/**
 * Maps every error to one JSON shape in one place: `{ "error": { "code", "message" } }` on the
 * /api routes and the Open Inference Protocol's `{ "error": "message" }` on /v2. Typed errors
 * keep their status; Elysia's own (parse, validation, not found) are translated; anything else
 * is logged and answered with a plain 500 that shows nothing of the host.
 */
export function errorHandler(log: Logger) {
  return new Elysia({ name: "error-handler" }).onError({ as: "global" }, ({ code, error, set, request, path }) => {
    const appError = toAppError(code, error, request.method, path);
    if (appError === undefined) {
      log.error(`Unhandled error on ${request.method} ${path}`, {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    // The Open Inference Protocol answers every bad request with 400, schema mismatches included.
    const oip = path.startsWith("/v2");
    const status = oip && appError?.status === 422 ? 400 : (appError?.status ?? 500);
    const errorCode = appError?.code ?? "internal_error";
    const message = appError?.message ?? "Internal server error";
    set.status = status;
    set.headers["content-type"] = "application/json;charset=utf-8";
    if (status === 401) {
      set.headers["www-authenticate"] =
        errorCode === "missing_token" ? 'Bearer realm="model-cache"' : `Bearer realm="model-cache", error="${errorCode === "invalid_request" ? "invalid_request" : "invalid_token"}"`;
    }
    const body: ApiErrorBody | OipErrorBody = oip ? { error: message } : { error: { code: errorCode, message } };
    return new Response(JSON.stringify(body), { status, headers: set.headers as Record<string, string> });
  });
}

function toAppError(code: unknown, error: unknown, method: string, path: string): AppError | undefined {
  if (error instanceof AppError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof AppError) return cause;
  // A model host died under the request; it is being restarted and its models reloaded.
  if (error instanceof HostCrashedError) return new UnavailableError("The model's host is restarting; retry shortly", "host_restarting");
  switch (code) {
    case "PARSE":
      return new BadRequestError("Request body is not valid JSON", "invalid_json");
    case "VALIDATION":
      // A response that does not fit its own schema is the server's bug, not the client's 422.
      if ((error as { type?: unknown } | undefined)?.type === "response") return undefined;
      return new ValidationError(validationMessage(error));
    case "NOT_FOUND":
      return new NotFoundError(`No route ${method} ${path.length > 200 ? path.slice(0, 200) + "…" : path}`, "route_not_found");
    case "INVALID_COOKIE_SIGNATURE":
      return new BadRequestError("Invalid cookie signature");
  }
  const status = (error as { status?: unknown } | undefined)?.status;
  if (status === 413) return new PayloadTooLargeError("Request body is over the size limit");
  return undefined;
}

/** "body /texts/3: Expected string" — where and what, never the value that was sent. */
function validationMessage(error: unknown): string {
  const details = error as { type?: string; all?: { path?: string; message?: string; summary?: string }[] };
  const first = details.all?.[0];
  if (first === undefined) return "Request does not match the schema";
  const where = first.path === undefined || first.path === "" ? "" : ` ${first.path}`;
  return `Invalid request ${details.type ?? "body"}${where}: ${first.message ?? "does not match the schema"}`;
}
