import { describe, expect, test } from "bun:test";
import { decodeInferRequest } from "../../src/inference/decode-request.ts";
import { checkShapeFitsSpec, elementCount, formatShape } from "../../src/inference/decode-shape.ts";
import type { ModelSignature } from "../../src/inference/tensor.ts";
import { expect400, IRIS } from "./sample-signatures.ts";

const decodeX = (input: Record<string, unknown>, signature: ModelSignature = IRIS, maxBatch = 64) =>
  decodeInferRequest({ inputs: [{ name: "X", datatype: "FP32", ...input }] }, signature, { maxBatch });

describe("shape syntax", () => {
  test.each([
    ["a negative entry", [-1, 2], /shape\[0\] must be a non-negative integer/],
    ["a non-integer entry", [1.5, 2], /shape\[0\] must be a non-negative integer/],
    ["a string entry", [1, "2"], /shape\[1\] must be a non-negative integer/],
    ["an entry beyond 2^53", [2 ** 60, 2], /shape\[0\] must be a non-negative integer/],
  ])("%s", (_label, shape, message) => {
    expect400(() => decodeX({ shape, data: [1, 2] }), message);
  });

  test("a shape that is not an array, or is missing", () => {
    expect400(() => decodeX({ shape: 2, data: [1, 2] }), /Input "X": shape must be an array of integers, got a number/);
    expect400(() => decodeX({ data: [1, 2] }), /shape must be an array of integers, got nothing/);
  });

  test("more than 32 dimensions", () => {
    expect400(() => decodeX({ shape: new Array(33).fill(1), data: [1] }), /more than 32 dimensions/);
  });
});

describe("shape against the model", () => {
  test("a rank that differs from the model's", () => {
    expect400(() => decodeX({ shape: [4], data: [1, 2, 3, 4] }), /^Input "X": shape \[4\] has rank 1, but the model expects rank 2 \[-1,2\]$/);
  });

  test("a dimension that conflicts with the model's fixed size", () => {
    expect400(() => decodeX({ shape: [1, 4], data: [1, 2, 3, 4] }), /^Input "X": dimension 1 is 4, but the model fixes it to 2 \[-1,2\]$/);
  });

  test("a batch over maxBatch on a dynamic first dimension", () => {
    expect400(() => decodeX({ shape: [5, 2], data: new Array(10).fill(0) }, IRIS, 4), /^Input "X": batch size 5 is over the limit of 4$/);
    expect(decodeX({ shape: [4, 2], data: new Array(8).fill(0) }, IRIS, 4).inputs.X!.shape).toEqual([4, 2]);
  });

  test("a fixed first dimension is not a batch, whatever maxBatch says", () => {
    const fixed: ModelSignature = { ...IRIS, inputs: [{ name: "X", datatype: "FP32", shape: [4] }] };
    expect(decodeX({ shape: [4], data: [1, 2, 3, 4] }, fixed, 2).inputs.X!.shape).toEqual([4]);
  });

  test("an empty batch is a valid tensor", () => {
    expect(decodeX({ shape: [0, 2], data: [] }).inputs.X!.data).toEqual(new Float32Array(0));
  });

  test("a spec without shape (scalar or undeclared rank in ORT) accepts any shape", () => {
    const anyRank: ModelSignature = { ...IRIS, inputs: [{ name: "X", datatype: "FP32", shape: [] }] };
    expect(decodeX({ shape: [3, 1, 1], data: [1, 2, 3] }, anyRank).inputs.X!.shape).toEqual([3, 1, 1]);
    expect(decodeX({ shape: [], data: [7] }, anyRank).inputs.X!.shape).toEqual([]);
  });

  test("checkShapeFitsSpec on a symbolic batch dimension", () => {
    const spec = { name: "input", datatype: "FP32" as const, shape: [-1, 1, 224, 224] };
    expect(() => checkShapeFitsSpec([2, 1, 224, 224], spec, 8)).not.toThrow();
    expect400(() => checkShapeFitsSpec([2, 3, 224, 224], spec, 8), /dimension 1 is 3, but the model fixes it to 1/);
  });
});

describe("data against the shape", () => {
  test("flat data whose length does not match the shape", () => {
    expect400(() => decodeX({ shape: [2, 2], data: [1, 2, 3] }), /^Input "X": shape \[2,2\] holds 4 elements, but data has 3$/);
    expect400(() => decodeX({ shape: [1, 2], data: [1, 2, 3] }), /holds 2 elements, but data has 3/);
  });

  test("data nested to the shape is flattened row-major", () => {
    expect(decodeX({ shape: [2, 2], data: [[1, 2], [4, 5]] }).inputs.X!.data).toEqual(new Float32Array([1, 2, 4, 5]));
  });

  test("deeper nesting for rank 3", () => {
    const rank3: ModelSignature = { ...IRIS, inputs: [{ name: "X", datatype: "FP32", shape: [-1, 2, 2] }] };
    const data = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]];
    expect(decodeX({ shape: [2, 2, 2], data }, rank3).inputs.X!.data).toEqual(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  test("ragged nesting", () => {
    expect400(() => decodeX({ shape: [2, 2], data: [[1, 2, 3], [4]] }), /^Input "X": data\[0\] has 3 elements, but shape \[2,2\] needs 2 at dimension 1$/);
  });

  test("nesting that does not follow the shape at the outer level", () => {
    expect400(() => decodeX({ shape: [2, 2], data: [[1, 2], [3, 4], [5, 6]] }), /data has 3 elements, but shape \[2,2\] needs 2 at dimension 0/);
  });

  test("partly nested data", () => {
    expect400(() => decodeX({ shape: [2, 2], data: [[1, 2], 3] }), /data\[1\] should be an array/);
  });

  test("data nested deeper than the shape", () => {
    expect400(() => decodeX({ shape: [1, 2], data: [[[1], [2]]] }), /data\[0\]\[0\] is nested deeper than shape \[1,2\]/);
  });

  test("data that is not an array", () => {
    expect400(() => decodeX({ shape: [1, 2], data: "1,2" }), /^Input "X": data must be an array, got a string$/);
    expect400(() => decodeX({ shape: [1, 2], data: { 0: 1, 1: 2 } }), /data must be an array, got an object/);
    expect400(() => decodeX({ shape: [1, 2] }), /Input "X" has no "data" \(nor a binary_data_size parameter/);
  });
});

test("elementCount and formatShape", () => {
  expect(elementCount([])).toBe(1);
  expect(elementCount([2, 0, 5])).toBe(0);
  expect(formatShape([-1, 2])).toBe("[-1,2]");
});
