import { Elysia } from "elysia";
import { BadRequestError, PayloadTooLargeError } from "../../errors/app-error.ts";
import { INFERENCE_HEADER_CONTENT_LENGTH, splitBody } from "../../inference/binary/split-body.ts";

/**
 * Deepest nesting of arrays and objects a body may have. No request of this API needs more than
 * a tensor's rank plus a few levels; far deeper bodies parse, but then overflow the stack of
 * whatever walks them next (schema errors, structured clone to a model host) and end as 500s.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Reads every request body as JSON, whatever its Content-Type (so that `curl -d` works), with a
 * byte limit enforced while reading: a declared Content-Length over the limit is refused before
 * anything is read, and a chunked body is cut off as soon as it passes the limit. Bodies that are
 * not UTF-8, not JSON, or nested deeper than `maxDepth` are 400s.
 *
 * On the inference routes, a request with an `Inference-Header-Content-Length` header (Triton's
 * binary tensor data extension) is JSON up to that length and raw tensor bytes after it, under
 * the same limit: the JSON becomes the body, the bytes are kept for {@link binaryTensorData}.
 *
 * @example
 * new Elysia().use(jsonBody(8 * 1024 * 1024)).post("/echo", ({ body }) => body);
 */
export function jsonBody(maxBytes: number, { maxDepth = MAX_JSON_DEPTH }: { maxDepth?: number } = {}) {
  return new Elysia({ name: "json-body" }).onParse({ as: "global" }, async ({ request, path }) => {
    const header = request.headers.get(INFERENCE_HEADER_CONTENT_LENGTH);
    if (header === null || !INFER_PATH.test(path)) return readJsonBody(request, maxBytes, maxDepth);
    const bytes = await readBodyBytes(request, maxBytes);
    const { json, binary } = splitBody(bytes ?? new Uint8Array(0), header);
    if (binary.byteLength > 0) binaryParts.set(request, binary);
    return parseJsonBytes(json, maxDepth);
  });
}

/** The inference routes, which take binary tensor data. */
const INFER_PATH = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer$/;

/** Binary tensor data of requests being handled; dropped with the request. */
const binaryParts = new WeakMap<Request, Uint8Array>();

/**
 * The bytes that followed the JSON in a binary-extension request, or `undefined` when there
 * were none.
 *
 * @example
 * .post("/v2/models/:name/infer", ({ body, request }) => service.infer(name, undefined, body, binaryTensorData(request)))
 */
export function binaryTensorData(request: Request): Uint8Array | undefined {
  return binaryParts.get(request);
}

/**
 * Reads and parses a request body under a byte limit and a nesting limit; `undefined` for an
 * empty body.
 *
 * @example
 * const body = await readJsonBody(new Request("http://x", { method: "POST", body: "[1]" }), 1024); // [1]
 */
export async function readJsonBody(request: Request, maxBytes: number, maxDepth = MAX_JSON_DEPTH): Promise<unknown> {
  const bytes = await readBodyBytes(request, maxBytes);
  return bytes === undefined ? undefined : parseJsonBytes(bytes, maxDepth);
}

/** The body's bytes, refused as soon as they pass `maxBytes`; `undefined` for no body. */
async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return undefined;
  // A declared length within the limit bounds the body (HTTP framing): read it in one go, which
  // costs a small request far less than a stream reader (about a sixth of a tiny model's request
  // time). Chunked bodies are counted as they come.
  if (declared !== null && request.headers.get("transfer-encoding") === null) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength === 0 ? undefined : bytes;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return total === 0 ? undefined : Buffer.concat(chunks, total);
}

function parseJsonBytes(bytes: Uint8Array, maxDepth: number): unknown {
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError("Request body is not valid UTF-8", "invalid_encoding");
  }
  if (text.trim() === "") return undefined;
  if (nestsDeeperThan(bytes, maxDepth)) {
    throw new BadRequestError(`Request body cannot be read: it is nested deeper than ${maxDepth} levels`, "invalid_json");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : "it is not valid JSON";
    throw new BadRequestError(`Request body cannot be read: ${reason}`, "invalid_json");
  }
}

/**
 * True when brackets outside strings open more than `maxDepth` levels. Scans bytes: in UTF-8 no
 * byte of a multi-byte character is an ASCII bracket, quote or backslash.
 */
function nestsDeeperThan(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body is over the limit of ${maxBytes} bytes`);
}
