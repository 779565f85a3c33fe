/**
 * What every response must satisfy: errors are JSON in the documented shape (`{ "error": { code,
 * message } }` on /api and elsewhere, `{ "error": "…" }` on /v2), and no body shows a host path,
 * a stack trace or a token.
 */

/** A response as the fuzzer saw it. */
export interface SeenResponse {
  status: number;
  contentType: string;
  text: string;
}

/** Strings no response may contain (tokens, the models folder, the checkout). */
export interface Secrets {
  tokens: string[];
  hostPaths: string[];
}

const STACK_LINE = /\bat (?:\S+ \()?(?:\/|file:|[A-Za-z]:\\)|node_modules|\.ts:\d+:\d+/;

/**
 * The problems of one response; empty when it is fine.
 *
 * @example
 * checkResponse("HEAD", "/v2/health/live", { status: 200, contentType: "", text: "" }, secrets); // []
 */
export function checkResponse(method: string, path: string, response: SeenResponse, secrets: Secrets): string[] {
  const problems: string[] = [];
  const { status, text } = response;
  for (const token of secrets.tokens) if (token !== "" && text.includes(token)) problems.push(`status ${status}: the body contains a token`);
  for (const hostPath of secrets.hostPaths) if (hostPath !== "" && text.includes(hostPath)) problems.push(`status ${status}: the body contains the host path ${hostPath}`);
  const json = response.contentType.includes("json");
  if (json && STACK_LINE.test(text)) problems.push(`status ${status}: the body looks like it holds a stack trace`);
  if (status < 400 || method === "HEAD") return problems;
  // Bun's fetch sends "//v2//x" as "/v2//x" (an OIP path to the server); Deno's fetch and curl
  // send it as written, which is no /v2 path: either shape is right for such a path.
  const seen = path.startsWith("//") ? [pathname(path), path] : [pathname(path)];
  const shapes = seen.map((candidate) => errorShapeProblem(candidate, status, response));
  const shape = shapes.includes(undefined) ? undefined : shapes[0];
  if (shape !== undefined) problems.push(`status ${status}: ${shape}`);
  return problems;
}

/** Why an error response is not in its documented shape, or `undefined`. */
function errorShapeProblem(path: string, status: number, response: SeenResponse): string | undefined {
  if (!response.contentType.includes("application/json")) return `error with content-type "${response.contentType}", not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `error body is not JSON: ${JSON.stringify(response.text.slice(0, 80))}`;
  }
  if (status === 503 && isProbeOrHealth(path, body)) return undefined;
  const error = (body as { error?: unknown } | null)?.error;
  const keys = body !== null && typeof body === "object" ? Object.keys(body) : [];
  if (keys.length !== 1 || error === undefined) return `error body is not { "error": … }: ${JSON.stringify(response.text.slice(0, 120))}`;
  if (path === "/v2" || path.startsWith("/v2/")) {
    return typeof error === "string" && error !== "" ? undefined : `/v2 error is not { "error": "message" }`;
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const fine = typeof code === "string" && /^[a-z][a-z0-9_]*$/.test(code) && typeof message === "string" && message !== "";
  return fine && Object.keys(error as object).length === 2 ? undefined : `/api error is not { "error": { "code", "message" } }`;
}

/** 503 answers in their own documented shapes: readiness probes and health. */
function isProbeOrHealth(path: string, body: unknown): boolean {
  if (path === "/v2/health/ready" || path === "/v2/health/live") return typeof (body as Record<string, unknown>)?.ready === "boolean" || typeof (body as Record<string, unknown>)?.live === "boolean";
  if (path === "/api/v1/models/health") return typeof (body as Record<string, unknown>)?.status === "string";
  return false;
}

/** The path as the client sends it: dot segments resolved, query dropped, leading slashes merged. */
function pathname(path: string): string {
  try {
    return new URL(`http://fuzz.invalid${path.startsWith("/") ? "" : "/"}${path}`).pathname.replace(/^\/+/, "/");
  } catch {
    return path;
  }
}
