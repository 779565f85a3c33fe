/**
 * JSON tensor elements → the typed container of an OIP datatype, checking every element.
 * Decisions (documented for clients):
 * - FP16/FP32/FP64 take JSON numbers and the strings "NaN", "Infinity", "-Infinity" (JSON has no
 *   literal for them); non-finite values are refused unless the caller allows them for this input.
 *   A finite number too large for FP32/FP16 is refused rather than silently becoming Infinity.
 * - Integer types take integral JSON numbers within the type's range. INT64/UINT64 also take
 *   decimal strings ("-9007199254740993"), because a JSON number beyond 2^53 has already lost
 *   precision when it is parsed: such numbers are refused with a hint to send a string.
 * - BOOL takes only true/false (not 0/1); BYTES takes only strings (UTF-8 text) without U+0000:
 *   onnxruntime-web hands strings to WASM as C strings and silently cuts them at a NUL.
 */
import type { OipDatatype, TensorData } from "./tensor.ts";
import { allocateTensorData, BIG_INTEGER_RANGES, SMALL_INTEGER_RANGES } from "./datatypes.ts";
import { overflowsFloat16, toFloat16Bits } from "./float16.ts";
import { describeJsonType, InferenceRequestError, quoteName } from "./inference-error.ts";

/** Who the elements belong to, for messages, and whether NaN/±Infinity may pass. */
export interface ElementContext {
  inputName: string;
  allowNonFinite: boolean;
}

const NON_FINITE_STRINGS: ReadonlyMap<string, number> = new Map([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
]);

// 20 digits hold every INT64/UINT64; the cap keeps BigInt() from parsing megabyte strings.
const DECIMAL_INTEGER = /^[+-]?\d{1,20}$/;

/**
 * Decodes flat JSON elements into the container for `datatype` (see {@link allocateTensorData}).
 * Throws {@link InferenceRequestError} naming the input and the first bad element's flat index.
 *
 * @example
 * decodeElements("FP32", [1, "NaN"], { inputName: "age", allowNonFinite: true }); // Float32Array [1, NaN]
 */
export function decodeElements(datatype: OipDatatype, values: readonly unknown[], context: ElementContext): TensorData {
  const out = allocateTensorData(datatype, values.length);
  const fail = (index: number, problem: string): never => {
    throw new InferenceRequestError(`Input ${quoteName(context.inputName)} element ${index} ${problem}`);
  };
  if (out instanceof Array) {
    values.forEach((value, i) => {
      if (typeof value !== "string") fail(i, `is ${describeJsonType(value)}, but BYTES data must be strings`);
      if ((value as string).includes("\0")) fail(i, "contains a NUL character (U+0000), which onnxruntime would cut the string at");
      out[i] = value as string;
    });
    return out;
  }
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const [min, max] = BIG_INTEGER_RANGES[datatype]!;
    values.forEach((value, i) => {
      out[i] = toBigInteger(value, datatype, min, max, (problem) => fail(i, problem));
    });
    return out;
  }
  if (datatype === "BOOL") {
    values.forEach((value, i) => {
      if (typeof value !== "boolean") fail(i, `is ${describeJsonType(value)}, but BOOL data must be true or false`);
      out[i] = value ? 1 : 0;
    });
    return out;
  }
  const range = SMALL_INTEGER_RANGES[datatype];
  values.forEach((value, i) => {
    if (range) {
      if (typeof value !== "number") fail(i, `is ${describeJsonType(value)}, but ${datatype} data must be integers`);
      const n = value as number;
      if (!Number.isInteger(n)) fail(i, `is not an integer, but ${datatype} data must be integers`);
      if (n < range[0] || n > range[1]) fail(i, `is out of the ${datatype} range [${range[0]}, ${range[1]}]`);
      out[i] = n;
      return;
    }
    const n = toFloat(value, datatype, context.allowNonFinite, (problem) => fail(i, problem));
    out[i] = datatype === "FP16" ? toFloat16Bits(n) : n;
  });
  return out;
}

function toFloat(value: unknown, datatype: OipDatatype, allowNonFinite: boolean, fail: (p: string) => never): number {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && NON_FINITE_STRINGS.has(value)) n = NON_FINITE_STRINGS.get(value)!;
  else return fail(`is ${describeJsonType(value)}, but ${datatype} data must be numbers or "NaN", "Infinity", "-Infinity"`);
  if (!Number.isFinite(n)) {
    if (!allowNonFinite) {
      return fail(`is ${Number.isNaN(n) ? "NaN" : "infinite"}, but this model does not accept NaN or Infinity here`);
    }
    return n;
  }
  if (datatype === "FP32" && !Number.isFinite(Math.fround(n))) return fail("is too large for FP32");
  if (datatype === "FP16" && overflowsFloat16(n)) return fail("is too large for FP16 (max 65504)");
  return n;
}

function toBigInteger(value: unknown, datatype: OipDatatype, min: bigint, max: bigint, fail: (p: string) => never): bigint {
  let n: bigint;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return fail(`is not an integer, but ${datatype} data must be integers`);
    if (!Number.isSafeInteger(value)) {
      return fail(`is beyond 2^53 as a JSON number and has lost precision; send it as a decimal string`);
    }
    n = BigInt(value);
  } else if (typeof value === "string" && DECIMAL_INTEGER.test(value)) {
    n = BigInt(value);
  } else {
    return fail(`is ${describeJsonType(value)}, but ${datatype} data must be integers or decimal strings`);
  }
  if (n < min || n > max) return fail(`is out of the ${datatype} range [${min}, ${max}]`);
  return n;
}
