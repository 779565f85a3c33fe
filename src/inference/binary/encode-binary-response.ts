/**
 * An inference response with some outputs as binary data (binary tensor data extension): the
 * JSON response, in which those outputs carry `parameters.binary_data_size` instead of `data`,
 * followed by their bytes in the order of `outputs`. As Triton does, the answer's content type
 * is application/octet-stream and `Inference-Header-Content-Length` gives the JSON's length.
 */
import type { HostTensor } from "../tensor.ts";
import { checkOutputTensor, encodeInferResponse, type EncodeInferResponseInput, type InferResponse } from "../encode-response.ts";
import { encodeBinaryTensor } from "./encode-binary-tensor.ts";

/** A response body with binary outputs, and where its JSON part ends. */
export interface BinaryInferResponse {
  body: Uint8Array;
  /** Bytes of JSON at the start of `body` (the `Inference-Header-Content-Length` header). */
  jsonLength: number;
}

/**
 * Encodes the response; the outputs named in `binary` travel as bytes after the JSON.
 *
 * @example
 * const { body, jsonLength } = encodeBinaryInferResponse(input, new Set(["probabilities"]));
 */
export function encodeBinaryInferResponse(input: EncodeInferResponseInput, binary: ReadonlySet<string>): BinaryInferResponse {
  const json: InferResponse = encodeInferResponse({ ...input, outputs: pick(input.outputs, (name) => !binary.has(name)) });
  const byName = new Map(json.outputs.map((output) => [output.name, output]));
  const parts: Uint8Array[] = [];
  const outputs = Object.entries(input.outputs).map(([name, tensor]) => {
    if (!binary.has(name)) return byName.get(name)!;
    checkOutputTensor(name, tensor);
    const bytes = encodeBinaryTensor(tensor);
    if (bytes.byteLength > 0) parts.push(bytes);
    return { name, datatype: tensor.datatype, shape: [...tensor.shape], parameters: { binary_data_size: bytes.byteLength } };
  });
  const header = new TextEncoder().encode(JSON.stringify({ ...json, outputs }));
  const body = new Uint8Array(header.byteLength + parts.reduce((total, part) => total + part.byteLength, 0));
  body.set(header, 0);
  let offset = header.byteLength;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return { body, jsonLength: header.byteLength };
}

function pick(outputs: Record<string, HostTensor>, keep: (name: string) => boolean): Record<string, HostTensor> {
  return Object.fromEntries(Object.entries(outputs).filter(([name]) => keep(name)));
}
