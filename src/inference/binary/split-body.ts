/**
 * The body of a request in the binary tensor data extension: a JSON inference request followed
 * by the inputs' raw bytes; the `Inference-Header-Content-Length` header gives the JSON's length.
 */
import { BadRequestError } from "../../errors/app-error.ts";

/** The request header that gives the length of the JSON part. */
export const INFERENCE_HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

/** A body cut in two at the JSON's end. */
export interface SplitBody {
  json: Uint8Array;
  /** The bytes after the JSON: the binary inputs, in the order of `inputs`. */
  binary: Uint8Array;
}

/**
 * Cuts `body` where the header says the JSON ends. The header must be a non-negative decimal
 * integer no larger than the body. (Triton parses it with `atoi`, which reads "12abc" as 12; a
 * client that sends that has a bug worth a 400.)
 *
 * @example
 * splitBody(new TextEncoder().encode('{"a":1}xyz'), "7"); // { json: '{"a":1}' bytes, binary: "xyz" bytes }
 */
export function splitBody(body: Uint8Array, header: string): SplitBody {
  const value = header.trim();
  if (!/^\d{1,15}$/.test(value)) {
    throw new BadRequestError(
      `${INFERENCE_HEADER_CONTENT_LENGTH} must be a non-negative whole number of bytes, got ${value.length > 20 ? "a long value" : JSON.stringify(value)}`,
      "invalid_header",
    );
  }
  const length = Number(value);
  if (length > body.byteLength) {
    throw new BadRequestError(
      `${INFERENCE_HEADER_CONTENT_LENGTH} is ${length}, past the end of the ${body.byteLength}-byte body`,
      "invalid_header",
    );
  }
  return { json: body.subarray(0, length), binary: body.subarray(length) };
}
