/**
 * Raw bytes of one input (binary tensor data extension) → the typed container of its datatype,
 * with the same checks as JSON data: BOOL bytes are 0 or 1; floats obey the model's NaN/Infinity
 * rule; BYTES elements are whole, valid UTF-8 and free of U+0000, and fill the shape exactly.
 */
import type { OipDatatype, TensorData } from "../tensor.ts";
import { allocateTensorData } from "../datatypes.ts";
import { InferenceRequestError, quoteName } from "../inference-error.ts";
import type { ElementContext } from "../decode-elements.ts";
import { assertLittleEndian, elementByteSize } from "./element-size.ts";
import { BF16, BF16_BYTES, widenBf16 } from "../bfloat16.ts";

assertLittleEndian();

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes `bytes` as `count` elements of `datatype` (BF16: widened to FP32, see bfloat16.ts). Throws {@link InferenceRequestError} naming
 * the input when the size does not match the shape or an element is not acceptable.
 *
 * @example
 * decodeBinaryTensor("INT32", new Uint8Array([1, 0, 0, 0]), 1, { inputName: "x", allowNonFinite: false }); // Int32Array [1]
 */
export function decodeBinaryTensor(datatype: OipDatatype | typeof BF16, bytes: Uint8Array, count: number, context: ElementContext): TensorData {
  const name = quoteName(context.inputName);
  const size = datatype === BF16 ? BF16_BYTES : elementByteSize(datatype);
  if (size === undefined) return decodeBytesElements(bytes, count, name);
  if (bytes.byteLength !== count * size) {
    throw new InferenceRequestError(
      `Input ${name}: binary_data_size is ${bytes.byteLength} bytes, but ${count} ${datatype} elements take ${count * size}`,
    );
  }
  if (datatype === BF16) {
    // Taken for an FP32 input: widened exactly, then checked as the FP32 values it now is.
    const widened = widenBf16(bytes);
    if (!context.allowNonFinite) checkFinite("FP32", widened, name);
    return widened;
  }
  const out = allocateTensorData(datatype, count) as Exclude<TensorData, string[]>;
  // A copy: the slice of the body may sit at any offset, and typed arrays need aligned memory.
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  if (datatype === "BOOL") {
    const index = (out as Uint8Array).findIndex((byte) => byte > 1);
    if (index >= 0) throw new InferenceRequestError(`Input ${name} element ${index} is not a BOOL: its byte is neither 0 nor 1`);
  }
  if (!context.allowNonFinite) checkFinite(datatype, out, name);
  return out;
}

function checkFinite(datatype: OipDatatype, data: Exclude<TensorData, string[]>, name: string): void {
  let index = -1;
  if (datatype === "FP16") index = (data as Uint16Array).findIndex((bits) => (bits & 0x7c00) === 0x7c00);
  else if (datatype === "FP32" || datatype === "FP64") index = (data as Float32Array).findIndex((value) => !Number.isFinite(value));
  if (index >= 0) {
    throw new InferenceRequestError(`Input ${name} element ${index} is NaN or infinite, but this model does not accept NaN or Infinity here`);
  }
}

/** BYTES: each element is a 4-byte little-endian length followed by that many bytes. */
function decodeBytesElements(bytes: Uint8Array, count: number, name: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const index = out.length;
    if (index === count) {
      throw new InferenceRequestError(`Input ${name}: binary data holds more than the ${count} BYTES elements of its shape`);
    }
    if (offset + 4 > bytes.byteLength) {
      throw new InferenceRequestError(`Input ${name} element ${index}: its 4-byte length is cut off by the end of the binary data`);
    }
    const length = view.getUint32(offset, true);
    offset += 4;
    if (length > bytes.byteLength - offset) {
      throw new InferenceRequestError(
        `Input ${name} element ${index} says it is ${length} bytes long, but only ${bytes.byteLength - offset} bytes are left`,
      );
    }
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(offset, offset + length));
    } catch {
      throw new InferenceRequestError(`Input ${name} element ${index} is not valid UTF-8 text`);
    }
    if (text.includes("\0")) {
      throw new InferenceRequestError(`Input ${name} element ${index} contains a NUL character (U+0000), which onnxruntime would cut the string at`);
    }
    out.push(text);
    offset += length;
  }
  if (out.length !== count) {
    throw new InferenceRequestError(`Input ${name}: binary data holds ${out.length} BYTES elements, but its shape needs ${count}`);
  }
  return out;
}
