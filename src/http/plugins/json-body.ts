import { Elysia } from "elysia";
import { BadRequestError, PayloadTooLargeError } from "../../errors/app-error.ts";

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
 * @example
 * new Elysia().use(jsonBody(8 * 1024 * 1024)).post("/echo", ({ body }) => body);
 */
export function jsonBody(maxBytes: number, { maxDepth = MAX_JSON_DEPTH }: { maxDepth?: number } = {}) {
  return new Elysia({ name: "json-body" }).onParse({ as: "global" }, ({ request }) => readJsonBody(request, maxBytes, maxDepth));
}

/**
 * Reads and parses a request body under a byte limit and a nesting limit; `undefined` for an
 * empty body.
 *
 * @example
 * const body = await readJsonBody(new Request("http://x", { method: "POST", body: "[1]" }), 1024); // [1]
 */
export async function readJsonBody(request: Request, maxBytes: number, maxDepth = MAX_JSON_DEPTH): Promise<unknown> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return undefined;
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
  if (total === 0) return undefined;
  const bytes = Buffer.concat(chunks, total);
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
