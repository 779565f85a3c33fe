/** One planned request of the fuzzer. */

/** How the body travels. */
export type RequestBody =
  /** With a Content-Length. */
  | { kind: "bytes"; bytes: Uint8Array }
  /** As a stream: chunked transfer encoding, no Content-Length. */
  | { kind: "chunked"; bytes: Uint8Array; chunkSize: number }
  /** multipart/form-data, as a browser form sends it. */
  | { kind: "form"; fields: [string, string][] };

/** A request, with what it means to do and which models it names. */
export interface FuzzRequest {
  /** Position in the plan: with the seed, enough to plan it again. */
  index: number;
  category: string;
  /** Route key ("POST /v2/models/{name}/infer") or "(no route)". */
  route: string;
  method: string;
  /** Path and query, encoded as it is sent. */
  path: string;
  headers: Record<string, string>;
  body?: RequestBody;
  /** Registered models the request names: it waits while one of them is unloaded on purpose. */
  models: string[];
  /** An unload with the admin token: run as an unload-then-load episode. */
  unload?: string;
  /** What was done, for the report. */
  note: string;
}

/**
 * One line describing a request: index, category, method, path (shortened) and note.
 *
 * @example
 * describeRequest(request); // "#17 mutated POST /v2/models/iris_classifier/infer — retype inputs[0].shape (212 B)"
 */
export function describeRequest(request: FuzzRequest): string {
  const path = request.path.length > 140 ? `${request.path.slice(0, 140)}…(${request.path.length} chars)` : request.path;
  const size = request.body === undefined ? "" : ` (${bodySize(request.body)})`;
  return `#${request.index} ${request.category} ${request.method} ${path} — ${request.note}${size}`;
}

function bodySize(body: RequestBody): string {
  if (body.kind === "form") return "multipart form";
  const bytes = body.bytes.length;
  const size = bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
  return body.kind === "chunked" ? `${size} chunked` : size;
}
