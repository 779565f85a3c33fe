/**
 * Open Inference Protocol datatypes and their onnxruntime-web counterparts: the name mapping, the
 * typed array each one travels in, and the value range of the integer types.
 */
import type { Tensor } from "onnxruntime-web";
import type { OipDatatype, TensorData } from "./tensor.ts";

/** Every OIP datatype, in the order of the protocol's table. */
export const OIP_DATATYPES: readonly OipDatatype[] = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
];

/** The onnxruntime-web tensor types that have an OIP datatype (not int4/uint4). */
export type OrtTensorType = Exclude<Tensor.Type, "int4" | "uint4">;

const OIP_TO_ORT: Readonly<Record<OipDatatype, OrtTensorType>> = {
  BOOL: "bool",
  UINT8: "uint8",
  UINT16: "uint16",
  UINT32: "uint32",
  UINT64: "uint64",
  INT8: "int8",
  INT16: "int16",
  INT32: "int32",
  INT64: "int64",
  FP16: "float16",
  FP32: "float32",
  FP64: "float64",
  BYTES: "string",
};

const ORT_TO_OIP: ReadonlyMap<string, OipDatatype> = new Map(
  OIP_DATATYPES.map((datatype) => [OIP_TO_ORT[datatype], datatype]),
);

/**
 * True when `value` is one of the OIP datatype names (case-sensitive, as the protocol spells them).
 *
 * @example
 * isOipDatatype("FP32"); // true
 * isOipDatatype("fp32"); // false
 */
export function isOipDatatype(value: unknown): value is OipDatatype {
  return typeof value === "string" && Object.hasOwn(OIP_TO_ORT, value);
}

/**
 * The onnxruntime-web tensor type for an OIP datatype.
 *
 * @example
 * oipToOrtType("FP16"); // "float16"
 */
export function oipToOrtType(datatype: OipDatatype): OrtTensorType {
  return OIP_TO_ORT[datatype];
}

/**
 * The OIP datatype for an onnxruntime-web tensor type, or undefined for types OIP cannot name
 * (int4, uint4).
 *
 * @example
 * ortToOipType("string"); // "BYTES"
 */
export function ortToOipType(type: string): OipDatatype | undefined {
  return ORT_TO_OIP.get(type);
}

/** The integer datatypes that travel as JS numbers, with their inclusive ranges. */
export const SMALL_INTEGER_RANGES: Readonly<Partial<Record<OipDatatype, readonly [number, number]>>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
};

/** The 64-bit integer datatypes (BigInt arrays), with their inclusive ranges. */
export const BIG_INTEGER_RANGES: Readonly<Partial<Record<OipDatatype, readonly [bigint, bigint]>>> = {
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT64: [0n, 2n ** 64n - 1n],
};

/** Floating-point datatypes: the ones that can hold NaN and ±Infinity. */
export function isFloatDatatype(datatype: OipDatatype): datatype is "FP16" | "FP32" | "FP64" {
  return datatype === "FP16" || datatype === "FP32" || datatype === "FP64";
}

/**
 * Allocates the flat container a datatype travels in (see {@link TensorData}): BigInt64Array for
 * INT64, Uint8Array 0/1 for BOOL, Uint16Array of IEEE half bits for FP16, string[] for BYTES.
 *
 * @example
 * allocateTensorData("INT64", 2); // BigInt64Array [0n, 0n]
 */
export function allocateTensorData(datatype: OipDatatype, length: number): TensorData {
  switch (datatype) {
    case "BOOL":
    case "UINT8":
      return new Uint8Array(length);
    case "UINT16":
    case "FP16":
      return new Uint16Array(length);
    case "UINT32":
      return new Uint32Array(length);
    case "UINT64":
      return new BigUint64Array(length);
    case "INT8":
      return new Int8Array(length);
    case "INT16":
      return new Int16Array(length);
    case "INT32":
      return new Int32Array(length);
    case "INT64":
      return new BigInt64Array(length);
    case "FP32":
      return new Float32Array(length);
    case "FP64":
      return new Float64Array(length);
    case "BYTES":
      return new Array<string>(length).fill("");
  }
}

/**
 * True when `data` is the container {@link allocateTensorData} would give for `datatype`.
 * Guards the worker boundary, where a wrong array would be misread, not rejected, by ORT.
 *
 * @example
 * dataMatchesDatatype("FP32", new Float32Array(1)); // true
 */
export function dataMatchesDatatype(datatype: OipDatatype, data: TensorData): boolean {
  if (datatype === "BYTES") return Array.isArray(data);
  if (Array.isArray(data)) return false;
  const expected = allocateTensorData(datatype, 0) as Exclude<TensorData, string[]>;
  return data.constructor === expected.constructor;
}
