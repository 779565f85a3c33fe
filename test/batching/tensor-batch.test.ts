/** Joining requests along the batch dimension and cutting the answers back, row for row. */
import { describe, expect, test } from "bun:test";
import { batchKey, batchRows, joinInputs, splitOutputs, UnsplittableOutputError } from "../../src/batching/tensor-batch.ts";
import { hasBatchDimension } from "../../src/batching/batch-dimension.ts";
import type { HostTensor } from "../../src/inference/tensor.ts";

const fp32 = (shape: number[], values: number[]): HostTensor => ({ datatype: "FP32", shape, data: Float32Array.from(values) });

describe("joining and splitting", () => {
  test("inputs of several requests join along the first dimension, in order", () => {
    const a = { inputs: { x: fp32([1, 2], [1, 2]), ids: { datatype: "INT64" as const, shape: [1], data: BigInt64Array.from([7n]) } }, outputs: ["y"] };
    const b = { inputs: { x: fp32([2, 2], [3, 4, 5, 6]), ids: { datatype: "INT64" as const, shape: [2], data: BigInt64Array.from([8n, 9n]) } }, outputs: ["y"] };
    const joined = joinInputs([a, b]);
    expect(joined.x).toEqual(fp32([3, 2], [1, 2, 3, 4, 5, 6]));
    expect(joined.ids).toEqual({ datatype: "INT64", shape: [3], data: BigInt64Array.from([7n, 8n, 9n]) });
  });

  test("strings join too", () => {
    const text = (values: string[]) => ({ inputs: { t: { datatype: "BYTES" as const, shape: [values.length], data: values } }, outputs: ["label"] });
    expect(joinInputs([text(["a"]), text(["b", "c"])]).t).toEqual({ datatype: "BYTES", shape: [3], data: ["a", "b", "c"] });
  });

  test("outputs are cut into each request's own rows", () => {
    const outputs = { p: fp32([3, 2], [0.1, 0.9, 0.2, 0.8, 0.3, 0.7]), label: { datatype: "INT64" as const, shape: [3], data: BigInt64Array.from([1n, 1n, 0n]) } };
    const [first, second] = splitOutputs(outputs, [1, 2]);
    expect(first!.p).toEqual(fp32([1, 2], [0.1, 0.9]));
    expect(second!.p).toEqual(fp32([2, 2], [0.2, 0.8, 0.3, 0.7]));
    expect(second!.label).toEqual({ datatype: "INT64", shape: [2], data: BigInt64Array.from([1n, 0n]) });
  });

  test("an output without one row per input row cannot be split", () => {
    expect(() => splitOutputs({ total: fp32([1], [6]) }, [1, 2])).toThrow(UnsplittableOutputError);
  });
});

describe("which requests may share a run", () => {
  test("alike requests have one key; other shapes past the first dimension or other outputs do not", () => {
    const request = (shape: number[], outputs: string[]) => ({ inputs: { x: fp32(shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0)) }, outputs });
    expect(batchKey(request([1, 4], ["y"]))).toBe(batchKey(request([5, 4], ["y"])));
    expect(batchKey(request([1, 4], ["y"]))).not.toBe(batchKey(request([1, 5], ["y"])));
    expect(batchKey(request([1, 4], ["y"]))).not.toBe(batchKey(request([1, 4], ["y", "z"])));
  });

  test("inputs that disagree on the first dimension have no batch rows (the request runs alone)", () => {
    expect(batchRows({ inputs: { a: fp32([2, 1], [1, 2]), b: fp32([3], [1, 2, 3]) }, outputs: [] })).toBeUndefined();
    expect(batchRows({ inputs: { a: fp32([2, 1], [1, 2]), b: fp32([2], [1, 2]) }, outputs: [] })).toBe(2);
  });

  test("a graph batches when every first dimension is dynamic and the named ones agree", () => {
    const value = (shape: (number | string)[]) => ({ isTensor: true, shape });
    expect(hasBatchDimension([value(["N", 4])], [value(["N"]), value(["N", 3])])).toBe(true);
    expect(hasBatchDimension([value([4294967295, 2])], [value([4294967295]), { isTensor: false }])).toBe(true);
    expect(hasBatchDimension([value(["", 2])], [value([""])])).toBe(true);
    expect(hasBatchDimension([value([1, 4])], [value([1, 3])])).toBe(false);
    expect(hasBatchDimension([value(["batch", 4])], [value(["nnz"])])).toBe(false);
    expect(hasBatchDimension([value(["N", 4])], [value([])])).toBe(false);
  });
});
