/**
 * {@link HostTensor} → onnxruntime-web Tensor, inside the model host.
 */
import type * as Ort from "onnxruntime-web";
import type { HostTensor } from "./tensor.ts";
import { dataMatchesDatatype, oipToOrtType } from "./datatypes.ts";
import { elementCount } from "./decode-shape.ts";

/** The piece of the onnxruntime-web module needed here; the host passes its own runtime in. */
export type OrtTensorFactory = Pick<typeof Ort, "Tensor">;

/**
 * Wraps a host tensor's data (no copy) in a tensor of the given ORT runtime. FP16 bits in a
 * Uint16Array are accepted by ORT as float16 data. Mismatched data is a programming error: ORT
 * would not reject a string tensor holding numbers until deep inside WASM, so it is caught here
 * with a plain Error.
 *
 * @example
 * import * as ort from "onnxruntime-web";
 * toOrtTensor(ort, { datatype: "INT64", shape: [2, 1], data: new BigInt64Array([1n, 3n]) }); // Tensor int64 [2,1]
 */
export function toOrtTensor(ort: OrtTensorFactory, tensor: HostTensor): Ort.Tensor {
  const { datatype, shape, data } = tensor;
  if (!dataMatchesDatatype(datatype, data) || data.length !== elementCount(shape)) {
    throw new Error(`Tensor data does not match datatype ${datatype} and shape [${shape.join(",")}]`);
  }
  if (Array.isArray(data)) return new ort.Tensor("string", data, shape);
  // The check above pairs the container with the type; ORT's overloads cannot see that pairing.
  return new ort.Tensor(oipToOrtType(datatype) as "float32", data as Float32Array, shape);
}
