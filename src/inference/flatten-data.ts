/**
 * Tensor `data` as OIP allows it: flat in row-major order, or nested to the shape
 * (`[[1, 2], [4, 5]]` for [2,2]). Nesting must follow the shape exactly: a ragged or partly
 * nested array is refused instead of being flattened into a tensor the client did not mean.
 */
import { describeJsonType, InferenceRequestError, quoteName } from "./inference-error.ts";
import { elementCount, formatShape } from "./decode-shape.ts";

/**
 * Returns the elements of `data` in row-major order, checked against `shape`: a flat array must
 * hold exactly the shape's element count; a nested one must match every dimension.
 *
 * @example
 * flattenData([[1, 2], [4, 5]], [2, 2], "X"); // [1, 2, 4, 5]
 */
export function flattenData(data: unknown, shape: readonly number[], inputName: string): unknown[] {
  const name = quoteName(inputName);
  if (!Array.isArray(data)) {
    throw new InferenceRequestError(`Input ${name}: data must be an array, got ${describeJsonType(data)}`);
  }
  if (!data.some(Array.isArray)) {
    const expected = elementCount(shape);
    if (data.length !== expected) {
      throw new InferenceRequestError(
        `Input ${name}: shape ${formatShape(shape)} holds ${expected} elements, but data has ${data.length}`,
      );
    }
    return data;
  }
  const flat: unknown[] = [];
  collect(data, 0, "data");
  return flat;

  function collect(node: unknown[], depth: number, path: string): void {
    const expected = shape[depth];
    if (expected === undefined) {
      throw new InferenceRequestError(`Input ${name}: ${path} is nested deeper than shape ${formatShape(shape)}`);
    }
    if (node.length !== expected) {
      throw new InferenceRequestError(
        `Input ${name}: ${path} has ${node.length} elements, but shape ${formatShape(shape)} needs ${expected} at dimension ${depth}`,
      );
    }
    const leafLevel = depth === shape.length - 1;
    node.forEach((child, i) => {
      if (Array.isArray(child)) {
        if (leafLevel) {
          throw new InferenceRequestError(`Input ${name}: ${path}[${i}] is nested deeper than shape ${formatShape(shape)}`);
        }
        collect(child, depth + 1, `${path}[${i}]`);
      } else {
        if (!leafLevel) {
          throw new InferenceRequestError(
            `Input ${name}: ${path}[${i}] should be an array (data nested to shape ${formatShape(shape)}) or data should be flat`,
          );
        }
        flat.push(child);
      }
    });
  }
}
