/**
 * Whether a graph's first dimension is a batch dimension, so that requests can be joined along
 * it: every input and every tensor output has a dynamic first dimension, and where the graph
 * names them (`batch_size`, `N`) the names agree. An unnamed dynamic dimension (skl2onnx's None)
 * counts as a batch dimension; a fixed one, or names that differ, do not.
 */

/** Input or output metadata as onnxruntime reports it (web and node). */
export interface ValueMetadata {
  isTensor: boolean;
  shape?: readonly (number | string)[];
}

// onnxruntime-web's "unknown"; onnxruntime-node says "" instead.
const ORT_UNKNOWN_DIM = 4294967295;

/**
 * @example
 * hasBatchDimension([{ isTensor: true, shape: ["N", 4] }], [{ isTensor: true, shape: ["N", 3] }]); // true
 * hasBatchDimension([{ isTensor: true, shape: [1, 4] }], [{ isTensor: true, shape: [1, 3] }]);     // false
 */
export function hasBatchDimension(inputs: readonly ValueMetadata[], outputs: readonly ValueMetadata[]): boolean {
  const firsts: (number | string | undefined)[] = [];
  for (const value of [...inputs, ...outputs]) {
    if (!value.isTensor) continue;
    firsts.push(value.shape?.[0]);
  }
  if (inputs.length === 0 || firsts.length === 0) return false;
  const names = new Set<string>();
  for (const first of firsts) {
    if (typeof first === "string") {
      if (first !== "") names.add(first);
    } else if (first !== ORT_UNKNOWN_DIM) {
      return false;
    }
  }
  return names.size <= 1;
}
