/**
 * A tensor's flat data → its bytes in the binary tensor data extension (little-endian, row-major;
 * BOOL one byte 0/1; BYTES a 4-byte little-endian length before each UTF-8 element).
 */
import type { HostTensor } from "../tensor.ts";
import { assertLittleEndian } from "./element-size.ts";

assertLittleEndian();

const utf8 = new TextEncoder();

/**
 * The tensor's bytes. Typed arrays are viewed, not copied.
 *
 * @example
 * encodeBinaryTensor({ datatype: "BYTES", shape: [1], data: ["hi"] }); // Uint8Array [2, 0, 0, 0, 104, 105]
 */
export function encodeBinaryTensor(tensor: HostTensor): Uint8Array {
  const { data } = tensor;
  if (!Array.isArray(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const elements = data.map((text) => utf8.encode(text));
  const out = new Uint8Array(elements.reduce((total, bytes) => total + 4 + bytes.byteLength, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const bytes of elements) {
    view.setUint32(offset, bytes.byteLength, true);
    out.set(bytes, offset + 4);
    offset += 4 + bytes.byteLength;
  }
  return out;
}
