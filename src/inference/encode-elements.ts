/**
 * Typed tensor contents → JSON elements for an OIP response. Decisions (documented for clients):
 * - FP16/FP32/FP64: numbers; NaN and ±Infinity, which JSON cannot hold, become the strings
 *   "NaN", "Infinity", "-Infinity" (the spellings the request decoder accepts). FP32 values are
 *   the exact doubles of the float32 values (0.1f → 0.10000000149011612): lossless, not pretty.
 * - INT64/UINT64: numbers when every element of the tensor is within ±(2^53-1); otherwise the
 *   whole tensor as decimal strings, so that no value is silently rounded and a client sees one
 *   element type per tensor.
 * - BOOL: true/false. BYTES: strings.
 */
import type { HostTensor } from "./tensor.ts";
import { fromFloat16Bits } from "./float16.ts";

/** One element of JSON tensor data. */
export type JsonTensorElement = number | string | boolean;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Renders a tensor's flat data as JSON elements.
 *
 * @example
 * encodeElements({ datatype: "FP32", shape: [2], data: new Float32Array([1, NaN]) }); // [1, "NaN"]
 */
export function encodeElements(tensor: HostTensor): JsonTensorElement[] {
  const { datatype, data } = tensor;
  if (Array.isArray(data)) return data.slice();
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const values = Array.from(data as ArrayLike<bigint>);
    const safe = values.every((v) => v <= MAX_SAFE && v >= -MAX_SAFE);
    return safe ? values.map(Number) : values.map(String);
  }
  const numbers = Array.from(data as ArrayLike<number>);
  switch (datatype) {
    case "BOOL":
      return numbers.map((v) => v !== 0);
    case "FP16":
      return numbers.map((bits) => jsonFloat(fromFloat16Bits(bits)));
    case "FP32":
    case "FP64":
      return numbers.map(jsonFloat);
    default:
      return numbers;
  }
}

function jsonFloat(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}
