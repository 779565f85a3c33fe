import { describe, expect, test } from "bun:test";
import { encodeInferResponse } from "../../src/inference/encode-response.ts";
import { encodeElements } from "../../src/inference/encode-elements.ts";
import { decodeInferRequest } from "../../src/inference/decode-request.ts";
import type { HostTensor, OipDatatype } from "../../src/inference/tensor.ts";
import { vectorModel } from "./sample-signatures.ts";

const tensor = (datatype: OipDatatype, data: HostTensor["data"], shape = [data.length]): HostTensor => ({ datatype, shape, data });

describe("encodeInferResponse: the envelope", () => {
  test("model name, version, echoed id and outputs in the given order", () => {
    const response = encodeInferResponse({
      modelName: "titanic",
      modelVersion: "3",
      id: "abc",
      outputs: {
        probabilities: tensor("FP32", new Float32Array([0.25, 0.75]), [1, 2]),
        label: tensor("INT64", new BigInt64Array([1n])),
      },
    });
    expect(response).toEqual({
      model_name: "titanic",
      model_version: "3",
      id: "abc",
      outputs: [
        { name: "probabilities", datatype: "FP32", shape: [1, 2], data: [0.25, 0.75] },
        { name: "label", datatype: "INT64", shape: [1], data: [1] },
      ],
    });
  });

  test("no id and no version: the keys are left out, not null", () => {
    const response = encodeInferResponse({ modelName: "m", outputs: {} });
    expect(JSON.stringify(response)).toBe('{"model_name":"m","outputs":[]}');
  });

  test("data is always flat, whatever the rank", () => {
    const response = encodeInferResponse({ modelName: "m", outputs: { y: tensor("INT32", new Int32Array([1, 2, 3, 4, 5, 6]), [1, 2, 3]) } });
    expect(response.outputs[0]).toEqual({ name: "y", datatype: "INT32", shape: [1, 2, 3], data: [1, 2, 3, 4, 5, 6] });
  });

  test("a tensor whose data does not fit its shape or datatype is a server bug (plain Error)", () => {
    expect(() => encodeInferResponse({ modelName: "m", outputs: { y: tensor("FP32", new Float32Array(3), [2, 2]) } })).toThrow(/does not match/);
    expect(() => encodeInferResponse({ modelName: "m", outputs: { y: tensor("FP32", new Float64Array(1)) } })).toThrow(Error);
  });
});

describe("encodeElements: per datatype", () => {
  test("NaN and ±Infinity become strings, JSON having no literal for them", () => {
    expect(encodeElements(tensor("FP32", new Float32Array([NaN, Infinity, -Infinity, 1.5])))).toEqual(["NaN", "Infinity", "-Infinity", 1.5]);
    expect(encodeElements(tensor("FP64", new Float64Array([NaN, 0.1])))).toEqual(["NaN", 0.1]);
  });

  test("FP32 values are the exact doubles of the float32 values", () => {
    expect(encodeElements(tensor("FP32", new Float32Array([0.1])))).toEqual([Math.fround(0.1)]);
  });

  test("FP16 bits become numbers", () => {
    expect(encodeElements(tensor("FP16", new Uint16Array([0x3c00, 0x2e66, 0x7e00, 0xfc00])))).toEqual([1, 0.0999755859375, "NaN", "-Infinity"]);
  });

  test("INT64 within ±(2^53-1) are numbers", () => {
    expect(encodeElements(tensor("INT64", new BigInt64Array([-9007199254740991n, 0n, 9007199254740991n])))).toEqual([-9007199254740991, 0, 9007199254740991]);
  });

  test("one INT64 beyond 2^53 turns the whole tensor into decimal strings", () => {
    expect(encodeElements(tensor("INT64", new BigInt64Array([1n, 9007199254740993n])))).toEqual(["1", "9007199254740993"]);
    expect(encodeElements(tensor("UINT64", new BigUint64Array([2n ** 64n - 1n])))).toEqual(["18446744073709551615"]);
  });

  test("BOOL as booleans, BYTES as strings, small integers as numbers", () => {
    expect(encodeElements(tensor("BOOL", new Uint8Array([1, 0, 2])))).toEqual([true, false, true]);
    expect(encodeElements(tensor("BYTES", ["a", "é"]))).toEqual(["a", "é"]);
    expect(encodeElements(tensor("INT8", new Int8Array([-128, 127])))).toEqual([-128, 127]);
    expect(encodeElements(tensor("UINT32", new Uint32Array([4294967295])))).toEqual([4294967295]);
  });
});

describe("round trip: request JSON → decode → encode → the same JSON", () => {
  const cases: [OipDatatype, unknown[]][] = [
    ["BOOL", [true, false]],
    ["UINT8", [0, 255]],
    ["UINT16", [0, 65535]],
    ["UINT32", [0, 4294967295]],
    ["UINT64", [0, 9007199254740991]],
    ["INT8", [-128, 127]],
    ["INT16", [-32768, 32767]],
    ["INT32", [-2147483648, 2147483647]],
    ["INT64", [-9007199254740991, 42]],
    ["FP16", [1, -0.5, 65504, "NaN", "Infinity"]],
    ["FP32", [0.5, -2, "NaN", "-Infinity"]],
    ["FP64", [0.1, 1e300, "Infinity"]],
    ["BYTES", ["", "two words", "é😀"]],
  ];

  test.each(cases)("%s", (datatype, data) => {
    const request = decodeInferRequest(
      { inputs: [{ name: "v", datatype, shape: [data.length], data }] },
      vectorModel(datatype),
      { maxBatch: 16, allowNonFinite: true },
    );
    const response = encodeInferResponse({ modelName: "echo", outputs: { v: request.inputs.v! } });
    expect(JSON.parse(JSON.stringify(response)).outputs[0]).toEqual({ name: "v", datatype, shape: [data.length], data });
  });

  test("INT64 decimal strings beyond 2^53 come back as the same strings", () => {
    const data = ["-9223372036854775808", "9007199254740993"];
    const request = decodeInferRequest({ inputs: [{ name: "v", datatype: "INT64", shape: [2], data }] }, vectorModel("INT64"), { maxBatch: 16 });
    expect(encodeInferResponse({ modelName: "echo", outputs: { v: request.inputs.v! } }).outputs[0]!.data).toEqual(data);
  });
});
