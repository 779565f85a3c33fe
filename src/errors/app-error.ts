/**
 * Typed errors. Every error the service means to show a client is an {@link AppError}: it carries
 * an HTTP status and a stable machine-readable `code`, and its message is safe to show (no host
 * paths, no stack traces, no tokens, no raw request input beyond short quoted names).
 * The HTTP layer maps them to `{ "error": { "code", "message" } }` in one place; anything that is
 * not an AppError becomes a plain 500 `internal_error`.
 *
 * @example
 * throw new NotFoundError(`Model "iris" not found`);
 */
export class AppError extends Error {
  constructor(
    /** HTTP status code. */
    readonly status: number,
    /** Stable error code, snake_case. */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or names something in a wrong way. */
export class BadRequestError extends AppError {
  constructor(message: string, code = "bad_request", options?: ErrorOptions) {
    super(400, code, message, options);
  }
}

/** 422: the request is well-formed JSON but its content does not fit the schema. */
export class ValidationError extends AppError {
  constructor(message: string, code = "validation_failed", options?: ErrorOptions) {
    super(422, code, message, options);
  }
}

/** 401: no credentials, or wrong ones. `code` says which (missing_token, invalid_token, …). */
export class UnauthorizedError extends AppError {
  constructor(message = "Missing or invalid bearer token", code = "unauthorized", options?: ErrorOptions) {
    super(401, code, message, options);
  }
}

/** 403: valid credentials that do not open this route. */
export class ForbiddenError extends AppError {
  constructor(message = "This token does not allow this operation", options?: ErrorOptions) {
    super(403, "forbidden", message, options);
  }
}

/** 404: unknown model or route. */
export class NotFoundError extends AppError {
  constructor(message: string, code = "not_found", options?: ErrorOptions) {
    super(404, code, message, options);
  }
}

/** 413: the request body is over the configured limit. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(413, "payload_too_large", message, options);
  }
}

/** 503: nothing can answer right now (model not loaded, no backend, shutting down). */
export class UnavailableError extends AppError {
  constructor(message: string, code = "unavailable", options?: ErrorOptions) {
    super(503, code, message, options);
  }
}
