/**
 * BF16 (bfloat16) inputs. No onnxruntime JavaScript binding has a bfloat16 tensor (neither
 * onnxruntime-web nor onnxruntime-node), so no model here takes BF16 itself; but every BF16 value
 * is exactly an FP32 value (the top 16 bits of its pattern), so a BF16 input is taken for an FP32
 * input and widened without loss, as clients that send BF16 to Triton expect when a model's input
 * is FP32 after conversion.
 */
import { InferenceRequestError, quoteName } from "./inference-error.ts";

/** The Open Inference Protocol name. */
export const BF16 = "BF16";

/** Bytes per BF16 element in the binary tensor data extension. */
export const BF16_BYTES = 2;

/**
 * Little-endian BF16 elements → the FP32 values they are.
 *
 * @example
 * widenBf16(new Uint8Array([0x80, 0x3f])); // Float32Array [1]
 */
export function widenBf16(bytes: Uint8Array): Float32Array {
  const bits = new Uint32Array(bytes.byteLength / BF16_BYTES);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16;
  return new Float32Array(bits.buffer);
}

/**
 * FP32 values rounded to the nearest BF16 (ties to even), in place: JSON numbers sent as BF16 mean
 * what a BF16 tensor can hold. NaN stays NaN.
 *
 * @example
 * roundToBf16(Float32Array.of(1.00390625)); // [1] (halfway: ties to even)
 */
export function roundToBf16(values: Float32Array): Float32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < bits.length; i++) {
    const value = bits[i]!;
    if ((value & 0x7f800000) === 0x7f800000) {
      // Infinity keeps its bits; a NaN keeps a payload bit so that it stays NaN after truncation.
      bits[i] = (value & 0xffff0000) | ((value & 0x007fffff) !== 0 ? 0x00400000 : 0);
      continue;
    }
    const rounded = value + 0x7fff + ((value >>> 16) & 1);
    bits[i] = (rounded & 0xffff0000) >>> 0;
  }
  return values;
}

/** Throws unless a BF16 input is sent for an FP32 input of the model. */
export function checkBf16Target(inputName: string, expected: string): void {
  if (expected !== "FP32") {
    throw new InferenceRequestError(
      `Input ${quoteName(inputName)} has datatype BF16, which is taken only for FP32 inputs (widened exactly); the model expects ${expected}`,
    );
  }
}
