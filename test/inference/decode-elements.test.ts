import { describe, expect, test } from "bun:test";
import { decodeInferRequest } from "../../src/inference/decode-request.ts";
import type { OipDatatype } from "../../src/inference/tensor.ts";
import { decodeVector, expect400, IRIS, TITANIC, vectorModel } from "./sample-signatures.ts";

const dataOf = (datatype: OipDatatype, data: unknown[], allowNonFinite?: boolean) =>
  decodeVector(datatype, data, allowNonFinite === undefined ? {} : { allowNonFinite }).inputs.v!.data;
/** The decoded elements of a numeric (not 64-bit) datatype, as a plain array. */
const numbersOf = (datatype: OipDatatype, data: unknown[], allowNonFinite?: boolean) =>
  Array.from(dataOf(datatype, data, allowNonFinite) as ArrayLike<number>);

describe("datatype", () => {
  test("a datatype other than the model's", () => {
    const body = { inputs: [{ name: "X", datatype: "FP64", shape: [1, 2], data: [1, 2] }] };
    expect400(() => decodeInferRequest(body, IRIS, { maxBatch: 8 }), /^Input "X" has datatype FP64, but the model expects FP32$/);
  });

  test("a name that is not an OIP datatype (they are upper case)", () => {
    const body = { inputs: [{ name: "X", datatype: "fp32", shape: [1, 2], data: [1, 2] }] };
    expect400(() => decodeInferRequest(body, IRIS, { maxBatch: 8 }), /datatype must be one of BOOL, UINT8, .*BYTES, got an unknown name/);
  });

  test("a missing datatype", () => {
    const body = { inputs: [{ name: "X", shape: [1, 2], data: [1, 2] }] };
    expect400(() => decodeInferRequest(body, IRIS, { maxBatch: 8 }), /got nothing$/);
  });
});

describe("NaN and Infinity", () => {
  test("refused by default, naming the input and the element index", () => {
    expect400(() => dataOf("FP32", [1, 2, "NaN"]), /^Input "v" element 2 is NaN, but this model does not accept NaN or Infinity here$/);
    expect400(() => dataOf("FP64", ["-Infinity"]), /^Input "v" element 0 is infinite/);
    expect400(() => dataOf("FP16", [0, "Infinity"]), /element 1 is infinite/);
  });

  test("accepted as the strings NaN, Infinity, -Infinity when allowed", () => {
    expect(numbersOf("FP32", ["NaN", "Infinity", "-Infinity", 1], true)).toEqual([NaN, Infinity, -Infinity, 1]);
    expect(numbersOf("FP64", ["NaN"], true)).toEqual([NaN]);
    expect(numbersOf("FP16", ["NaN", "-Infinity"], true)).toEqual([0x7e00, 0xfc00]);
  });

  test("other spellings are not numbers", () => {
    expect400(() => dataOf("FP32", ["nan"], true), /element 0 is a string, but FP32 data must be numbers or "NaN", "Infinity", "-Infinity"/);
    expect400(() => dataOf("FP32", ["1.5"], true), /element 0 is a string/);
  });

  test("allowNonFinite as a Set allows only the named inputs", () => {
    const titanic = (age: unknown, fare: unknown) => ({
      inputs: [
        { name: "pclass", datatype: "INT64", shape: [1, 1], data: [3] },
        { name: "sex", datatype: "BYTES", shape: [1, 1], data: ["male"] },
        { name: "age", datatype: "FP32", shape: [1, 1], data: [age] },
        { name: "fare", datatype: "FP32", shape: [1, 1], data: [fare] },
        { name: "embarked", datatype: "BYTES", shape: [1, 1], data: ["S"] },
      ],
    });
    const options = { maxBatch: 8, allowNonFinite: new Set(["age"]) };
    expect(Number.isNaN((decodeInferRequest(titanic("NaN", 7.25), TITANIC, options).inputs.age!.data as Float32Array)[0])).toBe(true);
    expect400(() => decodeInferRequest(titanic(29, "NaN"), TITANIC, options), /^Input "fare" element 0 is NaN/);
  });

  test("a finite number too large for the type is refused, not turned into Infinity", () => {
    expect400(() => dataOf("FP32", [1e39], true), /element 0 is too large for FP32/);
    expect400(() => dataOf("FP16", [65520], true), /too large for FP16 \(max 65504\)/);
    expect(numbersOf("FP16", [65504, 65519])).toEqual([0x7bff, 0x7bff]);
    expect(numbersOf("FP32", [3.4e38])).toEqual([Math.fround(3.4e38)]);
  });

  test("floats refuse booleans and null", () => {
    expect400(() => dataOf("FP32", [true]), /element 0 is a boolean, but FP32 data must be numbers/);
    expect400(() => dataOf("FP64", [1, null]), /element 1 is null/);
  });
});

describe("BYTES", () => {
  test("strings pass, including empty and non-ASCII ones", () => {
    expect(dataOf("BYTES", ["", "é😀", "S"])).toEqual(["", "é😀", "S"]);
  });

  test("numbers, booleans and nulls are refused", () => {
    expect400(() => dataOf("BYTES", ["a", 1]), /^Input "v" element 1 is a number, but BYTES data must be strings$/);
    expect400(() => dataOf("BYTES", [false]), /element 0 is a boolean/);
    expect400(() => dataOf("BYTES", [null]), /element 0 is null/);
  });

  test("a NUL character is refused: onnxruntime would silently cut the string there", () => {
    expect400(() => dataOf("BYTES", ["ok", "a\u0000b"]), /^Input "v" element 1 contains a NUL character \(U\+0000\)/);
  });
});

describe("BOOL", () => {
  test("true/false travel as 1/0", () => {
    expect(dataOf("BOOL", [true, false, true])).toEqual(new Uint8Array([1, 0, 1]));
  });

  test("0/1, strings and null are refused", () => {
    expect400(() => dataOf("BOOL", [true, 1]), /^Input "v" element 1 is a number, but BOOL data must be true or false$/);
    expect400(() => dataOf("BOOL", ["true"]), /element 0 is a string/);
    expect400(() => dataOf("BOOL", [null]), /element 0 is null/);
  });
});

describe("integer types", () => {
  test.each([
    ["INT8", -128, 127],
    ["INT16", -32768, 32767],
    ["INT32", -2147483648, 2147483647],
    ["UINT8", 0, 255],
    ["UINT16", 0, 65535],
    ["UINT32", 0, 4294967295],
  ] as const)("%s takes [%d, %d] and refuses one step beyond each end", (datatype, min, max) => {
    expect(numbersOf(datatype, [min, max])).toEqual([min, max]);
    expect400(() => dataOf(datatype, [min - 1]), new RegExp(`element 0 is out of the ${datatype} range \\[${min}, ${max}\\]`));
    expect400(() => dataOf(datatype, [0, max + 1]), new RegExp(`element 1 is out of the ${datatype} range`));
  });

  test("non-integer values", () => {
    expect400(() => dataOf("INT32", [1, 2.5]), /^Input "v" element 1 is not an integer, but INT32 data must be integers$/);
    expect400(() => dataOf("INT64", [0.1]), /element 0 is not an integer/);
    expect400(() => dataOf("UINT8", ["NaN"]), /element 0 is a string, but UINT8 data must be integers/);
  });

  test("strings and booleans for the 32-bit and smaller types", () => {
    expect400(() => dataOf("INT32", ["7"]), /element 0 is a string, but INT32 data must be integers/);
    expect400(() => dataOf("UINT16", [true]), /element 0 is a boolean/);
  });

  test("INT64 takes safe JSON integers and decimal strings to its full range", () => {
    const data = dataOf("INT64", [-3, Number.MAX_SAFE_INTEGER, "9223372036854775807", "-9223372036854775808", "+12"]);
    expect(data).toEqual(new BigInt64Array([-3n, 9007199254740991n, 2n ** 63n - 1n, -(2n ** 63n), 12n]));
  });

  test("INT64 refuses JSON numbers beyond 2^53, which have lost precision", () => {
    expect400(() => dataOf("INT64", [9007199254740993]), /element 0 is beyond 2\^53 as a JSON number and has lost precision; send it as a decimal string/);
  });

  test("INT64 refuses out-of-range strings and non-decimal strings", () => {
    expect400(() => dataOf("INT64", ["9223372036854775808"]), /out of the INT64 range \[-9223372036854775808, 9223372036854775807\]/);
    expect400(() => dataOf("INT64", ["0x10"]), /element 0 is a string, but INT64 data must be integers or decimal strings/);
    expect400(() => dataOf("INT64", ["1e3"]), /must be integers or decimal strings/);
    expect400(() => dataOf("INT64", ["1".repeat(400)]), /must be integers or decimal strings/);
    expect400(() => dataOf("INT64", [""]), /must be integers or decimal strings/);
  });

  test("UINT64 takes up to 2^64-1 and refuses negatives", () => {
    expect(dataOf("UINT64", ["18446744073709551615", 5])).toEqual(new BigUint64Array([2n ** 64n - 1n, 5n]));
    expect400(() => dataOf("UINT64", [-1]), /out of the UINT64 range \[0, 18446744073709551615\]/);
    expect400(() => dataOf("UINT64", ["18446744073709551616"]), /out of the UINT64 range/);
  });
});

describe("FP16", () => {
  test("numbers are rounded to half precision bits", () => {
    expect(dataOf("FP16", [1, -2, 0.1, 0])).toEqual(new Uint16Array([0x3c00, 0xc000, 0x2e66, 0]));
  });
});

test("every datatype decodes into its container", () => {
  const samples: Record<OipDatatype, unknown[]> = {
    BOOL: [true], UINT8: [1], UINT16: [1], UINT32: [1], UINT64: [1], INT8: [1], INT16: [1], INT32: [1],
    INT64: [1], FP16: [1], FP32: [1], FP64: [1], BYTES: ["a"],
  };
  const containers: Record<OipDatatype, string> = {
    BOOL: "Uint8Array", UINT8: "Uint8Array", UINT16: "Uint16Array", UINT32: "Uint32Array", UINT64: "BigUint64Array",
    INT8: "Int8Array", INT16: "Int16Array", INT32: "Int32Array", INT64: "BigInt64Array", FP16: "Uint16Array",
    FP32: "Float32Array", FP64: "Float64Array", BYTES: "Array",
  };
  for (const [datatype, data] of Object.entries(samples) as [OipDatatype, unknown[]][]) {
    const decoded = decodeInferRequest({ inputs: [{ name: "v", datatype, shape: [1], data }] }, vectorModel(datatype), { maxBatch: 1 });
    expect(decoded.inputs.v!.data.constructor.name).toBe(containers[datatype]);
  }
});
