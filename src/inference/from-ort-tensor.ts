/**
 * onnxruntime-web Tensor → {@link HostTensor}, inside the model host.
 */
import type { Tensor } from "onnxruntime-web";
import type { HostTensor, TensorData } from "./tensor.ts";
import { ortToOipType } from "./datatypes.ts";

/**
 * Unwraps an ORT output tensor. ORT copies outputs out of WASM memory, so the data can be
 * transferred to another thread. Under runtimes that have Float16Array (Bun), float16 outputs
 * arrive as one; they are re-viewed as Uint16Array bits, the FP16 form of {@link TensorData}.
 *
 * @example
 * const { label } = await session.run(feeds, ["label"]);
 * fromOrtTensor(label); // { datatype: "INT64", shape: [2], data: BigInt64Array [1n, 0n] }
 */
export function fromOrtTensor(tensor: Tensor): HostTensor {
  if (tensor.location !== "cpu") throw new Error(`Cannot read a tensor held in ${tensor.location} memory`);
  const datatype = ortToOipType(tensor.type);
  if (!datatype) throw new Error(`Tensor type ${tensor.type} has no Open Inference Protocol datatype`);
  let data = tensor.data as TensorData | Float16Array;
  if (datatype === "FP16" && !(data instanceof Uint16Array)) {
    const half = data as Float16Array;
    data = new Uint16Array(half.buffer, half.byteOffset, half.length);
  }
  return { datatype, shape: [...tensor.dims], data: data as TensorData };
}
