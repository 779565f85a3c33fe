/**
 * Bytes per element of each datatype in the binary tensor data extension: the native size,
 * little-endian; BOOL is one byte (0 or 1); BYTES has no fixed size (each element is a 4-byte
 * little-endian length followed by that many bytes).
 */
import type { OipDatatype } from "../tensor.ts";

const SIZES: Readonly<Record<Exclude<OipDatatype, "BYTES">, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/**
 * The size of one element in bytes, or `undefined` for BYTES (variable length).
 *
 * @example
 * elementByteSize("FP16"); // 2
 * elementByteSize("BYTES"); // undefined
 */
export function elementByteSize(datatype: OipDatatype): number | undefined {
  return datatype === "BYTES" ? undefined : SIZES[datatype];
}

/**
 * Typed arrays are read and written in the machine's byte order; the extension is little-endian.
 * Every platform this service runs on (x86-64, arm64) is little-endian; a big-endian one would
 * silently misread tensors, so it is refused loudly instead.
 */
export function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error("The binary tensor data extension needs a little-endian machine");
  }
}
