import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ForbiddenError, UnauthorizedError } from "../errors/app-error.ts";

/** Who a request is, as far as its bearer token tells. */
export type Role = "admin" | "inference" | "metrics" | "anonymous";

/**
 * The service's bearer tokens. Comparison is in constant time (both sides hashed to 32 bytes
 * first, so even the length does not leak). Messages never contain a token.
 *
 * @example
 * const tokens = new Tokens({ admin: process.env.ADMIN_TOKEN });
 * tokens.requireAdmin(request.headers.get("authorization"));
 */
export class Tokens {
  /** The admin token (generated when none was configured). */
  readonly admin: string;
  /** True when the admin token was generated at start. */
  readonly adminGenerated: boolean;
  private readonly adminDigest: Buffer;
  private readonly inferenceDigest: Buffer | undefined;
  private readonly metricsDigest: Buffer | undefined;

  constructor(options: { admin: string | undefined; inference?: string | undefined; metrics?: string | undefined }) {
    this.adminGenerated = options.admin === undefined;
    this.admin = options.admin ?? randomBytes(24).toString("base64url");
    this.adminDigest = digest(this.admin);
    this.inferenceDigest = options.inference === undefined ? undefined : digest(options.inference);
    this.metricsDigest = options.metrics === undefined ? undefined : digest(options.metrics);
  }

  /** True when inference and registry routes need a token. */
  get inferenceProtected(): boolean {
    return this.inferenceDigest !== undefined;
  }

  /** The role of an Authorization header value. Throws 401 for a malformed or unknown token. */
  roleOf(header: string | null | undefined): Role {
    if (header === null || header === undefined || header === "") return "anonymous";
    const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
    if (match === null) throw new UnauthorizedError("Malformed Authorization header: expected \"Bearer <token>\"", "invalid_request");
    const presented = digest(match[1]!);
    if (timingSafeEqual(presented, this.adminDigest)) return "admin";
    if (this.inferenceDigest !== undefined && timingSafeEqual(presented, this.inferenceDigest)) return "inference";
    if (this.metricsDigest !== undefined && timingSafeEqual(presented, this.metricsDigest)) return "metrics";
    throw new UnauthorizedError("Invalid bearer token", "invalid_token");
  }

  /** Admin routes: 401 without or with a wrong token, 403 with the inference token. */
  requireAdmin(header: string | null | undefined): void {
    const role = this.roleOf(header);
    if (role === "anonymous") throw new UnauthorizedError("This route needs the admin bearer token", "missing_token");
    if (role !== "admin") throw new ForbiddenError(`The ${role} token does not open admin routes`);
  }

  /** Inference and registry routes: open unless INFERENCE_TOKEN is set. */
  requireInference(header: string | null | undefined): void {
    const role = this.roleOf(header);
    if (role === "anonymous" && this.inferenceProtected) {
      throw new UnauthorizedError("This route needs a bearer token", "missing_token");
    }
    if (role === "metrics" && this.inferenceProtected) throw new ForbiddenError("The metrics token opens only GET /metrics");
  }

  /** GET /metrics: open unless METRICS_TOKEN is set; then the metrics or the admin token. */
  requireMetrics(header: string | null | undefined): void {
    const role = this.roleOf(header);
    if (this.metricsDigest === undefined) return;
    if (role === "anonymous") throw new UnauthorizedError("GET /metrics needs the metrics bearer token", "missing_token");
    if (role === "inference") throw new ForbiddenError("The inference token does not open GET /metrics");
  }
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
