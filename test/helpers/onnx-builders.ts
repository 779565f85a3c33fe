import { onnx } from "onnx-proto";

const float = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});
const int64 = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 7, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });

/** A graph of `nodes` taking `x` (FP32 [1]) and `shape` (INT64 [2]) and giving `y`. */
function expandGraph(name: string, nodes: onnx.INodeProto[], outputDims: (number | string)[]): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 13 }],
      producerName: "model-cache tests",
      graph: { name, node: nodes, input: [float("x", [1]), int64("shape", [2])], output: [float("y", outputDims)] },
    }),
  ).finish();
}

/**
 * A graph whose memory need is chosen by the request: `y = Expand(x, shape) + Expand(x, shape)`.
 * With shape [30000, 30000] it needs over 7 GB, more than a 32-bit WebAssembly runtime can have,
 * and fails with std::bad_alloc after growing the runtime's memory to its maximum.
 */
export function memoryHungryModel(): Uint8Array {
  return expandGraph(
    "hungry",
    [
      { opType: "Expand", input: ["x", "shape"], output: ["big"] },
      { opType: "Add", input: ["big", "big"], output: ["y"] },
    ],
    ["a", "b"],
  );
}

/**
 * A graph whose running time is chosen by the request: `y = ReduceSum(MatMul(E, E))` with
 * `E = Expand(x, shape)`. With shape [n, n] it does about 2n³ multiply-adds in one synchronous
 * WASM call (n = 3000: several seconds on one thread), during which its worker answers nothing.
 */
export function busyModel(): Uint8Array {
  return expandGraph(
    "busy",
    [
      { opType: "Expand", input: ["x", "shape"], output: ["square"] },
      { opType: "MatMul", input: ["square", "square"], output: ["product"] },
      { opType: "ReduceSum", input: ["product"], output: ["y"], attribute: [{ name: "keepdims", type: 2, i: 0 }] },
    ],
    [],
  );
}

/**
 * `y = x + max(W)` with `W` an FP32 initializer of `weights` values, all below 1 but the last,
 * which is `marker`: the answer says which file was loaded, and `weights` sets the file's size
 * (16 Mi values make a 64 MiB model).
 */
export function markerModel(marker: number, weights = 4): Uint8Array {
  const values = new Float32Array(weights);
  for (let i = 0; i < weights - 1; i++) values[i] = (i % 1000) / 1000;
  values[weights - 1] = marker;
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 13 }],
      producerName: "model-cache tests",
      graph: {
        name: "marker",
        initializer: [{ name: "W", dims: [weights], dataType: 1, rawData: new Uint8Array(values.buffer) }],
        node: [
          { opType: "ReduceMax", input: ["W"], output: ["m"], attribute: [{ name: "keepdims", type: 2, i: 0 }] },
          { opType: "Add", input: ["x", "m"], output: ["y"] },
        ],
        input: [float("x", [1])],
        output: [float("y", [1])],
      },
    }),
  ).finish();
}
