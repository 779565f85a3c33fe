import { describe, expect, test } from "bun:test";
import { decodeBinaryTensor } from "../../../src/inference/binary/decode-binary-tensor.ts";
import { encodeBinaryTensor } from "../../../src/inference/binary/encode-binary-tensor.ts";
import { splitBody } from "../../../src/inference/binary/split-body.ts";
import { encodeBinaryInferResponse } from "../../../src/inference/binary/encode-binary-response.ts";
import { BadRequestError } from "../../../src/errors/app-error.ts";
import { expect400 } from "../sample-signatures.ts";
import { toFloat16Bits } from "../../../src/inference/float16.ts";
import type { HostTensor } from "../../../src/inference/tensor.ts";
import { bytesElements, concat, le, le64 } from "./binary-bytes.ts";

const strict = { inputName: "x", allowNonFinite: false };
const lenient = { inputName: "x", allowNonFinite: true };
const decode400 = expect400;

describe("decodeBinaryTensor: every datatype from little-endian bytes", () => {
  test("the protocol's example: UINT32 [2,2] in 16 bytes, BOOL [3] in 3 bytes", () => {
    expect(decodeBinaryTensor("UINT32", le("u32", [1, 2, 3, 4294967295]), 4, strict)).toEqual(new Uint32Array([1, 2, 3, 4294967295]));
    expect(decodeBinaryTensor("BOOL", new Uint8Array([1, 0, 1]), 3, strict)).toEqual(new Uint8Array([1, 0, 1]));
  });

  test("integers at the edges of their ranges", () => {
    expect(decodeBinaryTensor("INT8", le("i8", [-128, 127]), 2, strict)).toEqual(new Int8Array([-128, 127]));
    expect(decodeBinaryTensor("UINT8", le("u8", [0, 255]), 2, strict)).toEqual(new Uint8Array([0, 255]));
    expect(decodeBinaryTensor("INT16", le("i16", [-32768, 32767]), 2, strict)).toEqual(new Int16Array([-32768, 32767]));
    expect(decodeBinaryTensor("UINT16", le("u16", [0, 65535]), 2, strict)).toEqual(new Uint16Array([0, 65535]));
    expect(decodeBinaryTensor("INT32", le("i32", [-(2 ** 31), 2 ** 31 - 1]), 2, strict)).toEqual(new Int32Array([-(2 ** 31), 2 ** 31 - 1]));
    const i64 = [-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n];
    expect(decodeBinaryTensor("INT64", le64("i64", i64), 3, strict)).toEqual(new BigInt64Array(i64));
    expect(decodeBinaryTensor("UINT64", le64("u64", [2n ** 64n - 1n]), 1, strict)).toEqual(new BigUint64Array([2n ** 64n - 1n]));
  });

  test("floats: FP16 as raw bits, FP32 and FP64 exactly", () => {
    expect(decodeBinaryTensor("FP16", le("u16", [0x3c00, 0xc000, 0x7bff]), 3, strict)).toEqual(new Uint16Array([0x3c00, 0xc000, 0x7bff]));
    expect(decodeBinaryTensor("FP32", le("f32", [0.1, -2.5]), 2, strict)).toEqual(new Float32Array([0.1, -2.5]));
    expect(decodeBinaryTensor("FP64", le("f64", [0.1, 1e300]), 2, strict)).toEqual(new Float64Array([0.1, 1e300]));
  });

  test("data at an odd offset of the body is copied into aligned memory", () => {
    const body = concat([new Uint8Array([9]), le("f64", [1.5, 2.5])]);
    expect(decodeBinaryTensor("FP64", body.subarray(1), 2, strict)).toEqual(new Float64Array([1.5, 2.5]));
  });

  test("BYTES: length-prefixed UTF-8 elements, empty ones included", () => {
    const bytes = bytesElements(["great phone", "", "naïve café ☕"]);
    expect(decodeBinaryTensor("BYTES", bytes, 3, strict)).toEqual(["great phone", "", "naïve café ☕"]);
  });

  test("an empty tensor is zero bytes", () => {
    expect(decodeBinaryTensor("FP32", new Uint8Array(0), 0, strict)).toEqual(new Float32Array(0));
    expect(decodeBinaryTensor("BYTES", new Uint8Array(0), 0, strict)).toEqual([]);
  });
});

describe("decodeBinaryTensor: bytes that do not fit are 400s naming the input", () => {
  test("a size that does not match shape × datatype", () => {
    decode400(() => decodeBinaryTensor("FP32", new Uint8Array(12), 4, strict), /"x": binary_data_size is 12 bytes, but 4 FP32 elements take 16/);
    decode400(() => decodeBinaryTensor("INT64", new Uint8Array(9), 1, strict), /binary_data_size is 9 bytes, but 1 INT64 elements take 8/);
  });

  test("a BOOL byte that is neither 0 nor 1", () => {
    decode400(() => decodeBinaryTensor("BOOL", new Uint8Array([1, 2]), 2, strict), /element 1 is not a BOOL/);
  });

  test("NaN and Infinity where the model does not take them; allowed where it does", () => {
    decode400(() => decodeBinaryTensor("FP32", le("f32", [1, NaN]), 2, strict), /element 1 is NaN or infinite/);
    decode400(() => decodeBinaryTensor("FP64", le("f64", [-Infinity]), 1, strict), /element 0 is NaN or infinite/);
    decode400(() => decodeBinaryTensor("FP16", le("u16", [0x3c00, 0x7c00]), 2, strict), /element 1 is NaN or infinite/);
    expect(Number.isNaN((decodeBinaryTensor("FP32", le("f32", [NaN]), 1, lenient) as Float32Array)[0])).toBe(true);
  });

  test("BYTES: a cut-off length, a length past the end, too many or too few elements", () => {
    decode400(() => decodeBinaryTensor("BYTES", new Uint8Array([3, 0]), 1, strict), /element 0: its 4-byte length is cut off/);
    decode400(() => decodeBinaryTensor("BYTES", concat([le("u32", [10]), new Uint8Array(3)]), 1, strict), /element 0 says it is 10 bytes long, but only 3 bytes are left/);
    decode400(() => decodeBinaryTensor("BYTES", bytesElements(["a", "b", "c"]), 2, strict), /holds more than the 2 BYTES elements/);
    decode400(() => decodeBinaryTensor("BYTES", bytesElements(["a"]), 2, strict), /holds 1 BYTES elements, but its shape needs 2/);
  });

  test("BYTES: invalid UTF-8 and NUL characters", () => {
    decode400(() => decodeBinaryTensor("BYTES", bytesElements([new Uint8Array([0xff, 0xfe])]), 1, strict), /element 0 is not valid UTF-8/);
    decode400(() => decodeBinaryTensor("BYTES", bytesElements(["a\0b"]), 1, strict), /element 0 contains a NUL character/);
  });
});

describe("encodeBinaryTensor: the bytes the protocol describes", () => {
  test("numbers little-endian, BOOL one byte, FP16 its bits", () => {
    expect(encodeBinaryTensor({ datatype: "INT32", shape: [2], data: new Int32Array([1, -2]) })).toEqual(le("i32", [1, -2]));
    expect(encodeBinaryTensor({ datatype: "FP64", shape: [1], data: new Float64Array([0.1]) })).toEqual(le("f64", [0.1]));
    expect(encodeBinaryTensor({ datatype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) })).toEqual(new Uint8Array([1, 0]));
    expect(encodeBinaryTensor({ datatype: "FP16", shape: [1], data: new Uint16Array([toFloat16Bits(-2)]) })).toEqual(le("u16", [0xc000]));
    expect(encodeBinaryTensor({ datatype: "UINT64", shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) })).toEqual(le64("u64", [2n ** 64n - 1n]));
  });

  test("BYTES: 4-byte little-endian length, then UTF-8", () => {
    expect(encodeBinaryTensor({ datatype: "BYTES", shape: [2], data: ["hi", "é"] })).toEqual(new Uint8Array([2, 0, 0, 0, 104, 105, 2, 0, 0, 0, 0xc3, 0xa9]));
  });

  test("a view into a larger buffer gives only its own bytes", () => {
    const whole = new Int16Array([1, 2, 3, 4]);
    expect(encodeBinaryTensor({ datatype: "INT16", shape: [2], data: whole.subarray(1, 3) })).toEqual(le("i16", [2, 3]));
  });
});

describe("splitBody: Inference-Header-Content-Length", () => {
  const body = new TextEncoder().encode('{"a":1}xyz');
  const bad = (header: string, pattern: RegExp) => {
    expect(() => splitBody(body, header)).toThrow(BadRequestError);
    expect(() => splitBody(body, header)).toThrow(pattern);
  };

  test("cuts the JSON from the bytes after it", () => {
    const { json, binary } = splitBody(body, "7");
    expect(new TextDecoder().decode(json)).toBe('{"a":1}');
    expect(new TextDecoder().decode(binary)).toBe("xyz");
    expect(splitBody(body, " 10 ").binary.byteLength).toBe(0);
  });

  test("negative, non-numeric, fractional, empty or oversized values are 400s", () => {
    bad("-3", /must be a non-negative whole number of bytes, got "-3"/);
    bad("abc", /got "abc"/);
    bad("7.5", /got "7.5"/);
    bad("", /got ""/);
    bad("12abc", /got "12abc"/);
    bad("1".repeat(40), /got a long value/);
    bad("11", /is 11, past the end of the 10-byte body/);
  });
});

describe("encodeBinaryInferResponse", () => {
  const outputs: Record<string, HostTensor> = {
    label: { datatype: "INT64", shape: [2], data: new BigInt64Array([0n, 2n]) },
    words: { datatype: "BYTES", shape: [1], data: ["ok"] },
    empty: { datatype: "FP32", shape: [0], data: new Float32Array(0) },
  };

  test("binary outputs carry binary_data_size instead of data and follow the JSON in order", () => {
    const { body, jsonLength } = encodeBinaryInferResponse({ modelName: "m", modelVersion: "1", id: "r", outputs }, new Set(["label", "words", "empty"]));
    const json = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonLength)));
    expect(json).toEqual({
      model_name: "m",
      model_version: "1",
      id: "r",
      outputs: [
        { name: "label", datatype: "INT64", shape: [2], parameters: { binary_data_size: 16 } },
        { name: "words", datatype: "BYTES", shape: [1], parameters: { binary_data_size: 6 } },
        { name: "empty", datatype: "FP32", shape: [0], parameters: { binary_data_size: 0 } },
      ],
    });
    expect(body.subarray(jsonLength)).toEqual(concat([le64("i64", [0n, 2n]), bytesElements(["ok"])]));
  });

  test("outputs not asked for as binary stay JSON, in their place", () => {
    const { body, jsonLength } = encodeBinaryInferResponse({ modelName: "m", outputs }, new Set(["words"]));
    const json = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonLength)));
    expect(json.outputs.map((o: { name: string; data?: unknown }) => [o.name, o.data ?? "binary"])).toEqual([["label", [0, 2]], ["words", "binary"], ["empty", []]]);
    expect(body.byteLength - jsonLength).toBe(6);
  });

  test("an output that does not fit its shape is the server's bug (a plain Error)", () => {
    const broken = { y: { datatype: "FP32" as const, shape: [3], data: new Float32Array(2) } };
    expect(() => encodeBinaryInferResponse({ modelName: "m", outputs: broken }, new Set(["y"]))).toThrow(/does not match its datatype FP32 or shape/);
  });
});
