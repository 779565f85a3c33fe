/** Sends one planned request and reads the whole answer, with a time limit. */
import type { FuzzRequest, RequestBody } from "./fuzz-request.ts";
import type { SeenResponse } from "./checks.ts";

/** What came back: a response, or a transport error (connection reset, time-out). */
export type Outcome = ({ ok: true } & SeenResponse & { ms: number }) | { ok: false; error: string; ms: number };

/**
 * Sends `request` to `baseUrl`. Redirects are not followed (the redirect is the answer).
 *
 * @example
 * const outcome = await send("http://127.0.0.1:3000", request, 30_000);
 */
export async function send(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(baseUrl + request.path, {
      method: request.method,
      headers: request.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      ...(request.body !== undefined && { body: bodyOf(request.body) }),
    });
    const text = await response.text();
    return { ok: true, status: response.status, contentType: response.headers.get("content-type") ?? "", text, ms: performance.now() - started };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `${name}: ${message}`, ms: performance.now() - started };
  }
}

function bodyOf(body: RequestBody): BodyInit {
  if (body.kind === "bytes") return body.bytes as Uint8Array<ArrayBuffer>;
  if (body.kind === "form") {
    const form = new FormData();
    for (const [key, value] of body.fields) form.append(key, value);
    return form;
  }
  const { bytes, chunkSize } = body;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}
