/**
 * Shapes of request inputs: syntax (non-negative integers), then fit to the model's
 * {@link TensorSpec} (rank, fixed dimensions, batch limit).
 */
import type { TensorSpec } from "./tensor.ts";
import { describeJsonType, InferenceRequestError, quoteName } from "./inference-error.ts";

/** More dimensions than any served model uses; bounds the work spent on a hostile shape. */
export const MAX_RANK = 32;

/**
 * Validates a request shape: an array of at most {@link MAX_RANK} non-negative integers.
 *
 * @example
 * decodeShape([2, 4], "X"); // [2, 4]
 */
export function decodeShape(raw: unknown, inputName: string): number[] {
  const name = quoteName(inputName);
  if (!Array.isArray(raw)) throw new InferenceRequestError(`Input ${name}: shape must be an array of integers, got ${describeJsonType(raw)}`);
  if (raw.length > MAX_RANK) throw new InferenceRequestError(`Input ${name}: shape has more than ${MAX_RANK} dimensions`);
  raw.forEach((dim: unknown, i) => {
    if (typeof dim !== "number" || !Number.isSafeInteger(dim) || dim < 0) {
      throw new InferenceRequestError(`Input ${name}: shape[${i}] must be a non-negative integer`);
    }
  });
  return [...(raw as number[])];
}

/**
 * Checks a request shape against the model's spec. The first dimension counts as the batch, and is
 * held to `maxBatch`, only when the model leaves it dynamic (-1): a fixed first dimension (MNIST's
 * [1,1,28,28], a [4]-element string vector) is part of the model, not a batch.
 * A spec with an empty shape is taken as "rank unknown" and accepts any shape: onnxruntime-web
 * reports both scalars and tensors without a declared shape as [], and ORT still checks at run time.
 *
 * @example
 * checkShapeFitsSpec([2, 2], { name: "X", datatype: "FP32", shape: [-1, 2] }, 64); // passes
 */
export function checkShapeFitsSpec(shape: readonly number[], spec: TensorSpec, maxBatch: number): void {
  const name = quoteName(spec.name);
  if (spec.shape.length === 0) return;
  if (shape.length !== spec.shape.length) {
    throw new InferenceRequestError(
      `Input ${name}: shape ${formatShape(shape)} has rank ${shape.length}, but the model expects rank ${spec.shape.length} ${formatShape(spec.shape)}`,
    );
  }
  spec.shape.forEach((fixed, i) => {
    if (fixed >= 0 && shape[i] !== fixed) {
      throw new InferenceRequestError(
        `Input ${name}: dimension ${i} is ${shape[i]}, but the model fixes it to ${fixed} ${formatShape(spec.shape)}`,
      );
    }
  });
  const batch = shape[0];
  if (spec.shape[0] === -1 && batch !== undefined && batch > maxBatch) {
    throw new InferenceRequestError(`Input ${name}: batch size ${batch} is over the limit of ${maxBatch}`);
  }
}

/**
 * Number of elements a shape holds (1 for a scalar).
 *
 * @example
 * elementCount([2, 3]); // 6
 */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Renders a shape for messages, -1 for dynamic dimensions.
 *
 * @example
 * formatShape([-1, 2]); // "[-1,2]"
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
