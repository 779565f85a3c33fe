/**
 * Tensor vocabulary shared by the model host (worker), the inference codec and the HTTP layer.
 * Datatype names are the Open Inference Protocol's (KServe V2 / Triton).
 */

/** Open Inference Protocol tensor datatypes. */
export type OipDatatype =
  | "BOOL"
  | "UINT8"
  | "UINT16"
  | "UINT32"
  | "UINT64"
  | "INT8"
  | "INT16"
  | "INT32"
  | "INT64"
  | "FP16"
  | "FP32"
  | "FP64"
  | "BYTES";

/** One named input or output of a model: datatype and shape, -1 for a dynamic dimension. */
export interface TensorSpec {
  name: string;
  datatype: OipDatatype;
  shape: number[];
}

/** An output the runtime cannot hand to JavaScript (for instance ZipMap's seq(map)), and why. */
export interface UnsupportedOutput {
  name: string;
  reason: string;
}

/** What a loaded model takes and gives. */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Outputs that exist in the graph but cannot be returned. */
  unsupportedOutputs: UnsupportedOutput[];
}

/** Flat tensor contents, in row-major order. BOOL travels as Uint8Array (0/1). */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** A tensor as it crosses between the HTTP thread and the model host. */
export interface HostTensor {
  datatype: OipDatatype;
  shape: number[];
  data: TensorData;
}
