import { Elysia } from "elysia";
import { BadRequestError, PayloadTooLargeError } from "../../errors/app-error.ts";

/**
 * Reads every request body as JSON, whatever its Content-Type (so that `curl -d` works), with a
 * byte limit enforced while reading: a declared Content-Length over the limit is refused before
 * anything is read, and a chunked body is cut off as soon as it passes the limit. Bodies that are
 * not UTF-8 or not JSON are 400s.
 */
export function jsonBody(maxBytes: number) {
  return new Elysia({ name: "json-body" }).onParse({ as: "global" }, ({ request }) => readJsonBody(request, maxBytes));
}

/** Reads and parses a request body under a byte limit; `undefined` for an empty body. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
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
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new BadRequestError("Request body is not valid UTF-8", "invalid_encoding");
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : "it is not valid JSON";
    throw new BadRequestError(`Request body cannot be read: ${reason}`, "invalid_json");
  }
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body is over the limit of ${maxBytes} bytes`);
}
