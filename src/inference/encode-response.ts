/**
 * Model outputs → the Open Inference Protocol inference response body. Pure: no HTTP, no ORT.
 */
import type { HostTensor, OipDatatype } from "./tensor.ts";
import { dataMatchesDatatype } from "./datatypes.ts";
import { elementCount } from "./decode-shape.ts";
import { encodeElements, type JsonTensorElement } from "./encode-elements.ts";

/** One output tensor of an OIP response; `data` is always flat, row-major. */
export interface InferResponseOutput {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  data: JsonTensorElement[];
}

/** The OIP inference response body. */
export interface InferResponse {
  model_name: string;
  /** Present only when the server names versions (the protocol says to omit it otherwise). */
  model_version?: string;
  /** The request's id, when it had one. */
  id?: string;
  outputs: InferResponseOutput[];
}

/** What {@link encodeInferResponse} needs. */
export interface EncodeInferResponseInput {
  modelName: string;
  modelVersion?: string;
  id?: string;
  /** Output tensors by name, in the order they should appear (the order requested). */
  outputs: Record<string, HostTensor>;
}

/**
 * Builds the response body. Element rendering (NaN as "NaN", big INT64 as strings, ...) is
 * described in encode-elements.ts. A tensor whose data does not fit its shape or datatype is a
 * bug in the model host, not in the request, so it throws a plain Error (a 500).
 *
 * @example
 * encodeInferResponse({
 *   modelName: "iris", modelVersion: "1", id: "42",
 *   outputs: { label: { datatype: "INT64", shape: [2], data: new BigInt64Array([0n, 2n]) } },
 * });
 * // { model_name: "iris", model_version: "1", id: "42",
 * //   outputs: [{ name: "label", datatype: "INT64", shape: [2], data: [0, 2] }] }
 */
export function encodeInferResponse(input: EncodeInferResponseInput): InferResponse {
  const outputs = Object.entries(input.outputs).map(([name, tensor]): InferResponseOutput => {
    checkOutputTensor(name, tensor);
    return { name, datatype: tensor.datatype, shape: [...tensor.shape], data: encodeElements(tensor) };
  });
  // Keys in the protocol's order, which is what people reading the JSON expect.
  return {
    model_name: input.modelName,
    ...(input.modelVersion !== undefined && { model_version: input.modelVersion }),
    ...(input.id !== undefined && { id: input.id }),
    outputs,
  };
}

/**
 * Throws a plain Error (a 500: the model host's bug, not the request's) when an output's data
 * does not fit its datatype or shape.
 *
 * @example
 * checkOutputTensor("y", { datatype: "FP32", shape: [2], data: new Float32Array(2) }); // fine
 */
export function checkOutputTensor(name: string, tensor: HostTensor): void {
  if (!dataMatchesDatatype(tensor.datatype, tensor.data) || tensor.data.length !== elementCount(tensor.shape)) {
    throw new Error(`Output tensor "${name}" does not match its datatype ${tensor.datatype} or shape [${tensor.shape.join(",")}]`);
  }
}
