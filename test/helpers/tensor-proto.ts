/**
 * Reads ONNX TensorProto files (the `input_N.pb` / `output_N.pb` of ONNX test data sets) into
 * {@link HostTensor}s, so fixtures can be checked against their upstream reference outputs.
 */
import { onnx } from "onnx-proto";
import type { HostTensor, OipDatatype, TensorData } from "../../src/inference/tensor.ts";
import { readFile } from "node:fs/promises";

const DataType = onnx.TensorProto.DataType;

const DATATYPES: ReadonlyMap<number, OipDatatype> = new Map([
  [DataType.FLOAT, "FP32"],
  [DataType.UINT8, "UINT8"],
  [DataType.INT8, "INT8"],
  [DataType.UINT16, "UINT16"],
  [DataType.INT16, "INT16"],
  [DataType.INT32, "INT32"],
  [DataType.INT64, "INT64"],
  [DataType.STRING, "BYTES"],
  [DataType.BOOL, "BOOL"],
  [DataType.FLOAT16, "FP16"],
  [DataType.DOUBLE, "FP64"],
  [DataType.UINT32, "UINT32"],
  [DataType.UINT64, "UINT64"],
]);

/** A decoded TensorProto: its name (often not the model's input name) and the tensor. */
export interface NamedTensor {
  name: string;
  tensor: HostTensor;
}

/**
 * Decodes a serialized TensorProto. Handles `raw_data` (always little-endian, whatever the host)
 * and the typed fields: float_data, double_data, int32_data (which also carries INT8/INT16/UINT8/
 * UINT16/BOOL and FP16 bits), int64_data, uint64_data (also UINT32) and string_data (UTF-8).
 *
 * @example
 * const { tensor } = readTensorProto(await readFile("test_data_set_0/input_0.pb"));
 */
export function readTensorProto(bytes: Uint8Array): NamedTensor {
  const proto = onnx.TensorProto.decode(bytes);
  const datatype = DATATYPES.get(proto.dataType);
  if (!datatype) throw new Error(`TensorProto data type ${proto.dataType} is not supported`);
  const shape = proto.dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = proto.rawData && proto.rawData.length > 0
    ? fromRaw(datatype, proto.rawData, count)
    : fromFields(datatype, proto);
  if (data.length !== count) throw new Error(`TensorProto holds ${data.length} elements, dims say ${count}`);
  return { name: proto.name, tensor: { datatype, shape, data } };
}

/**
 * Reads a TensorProto file.
 *
 * @example
 * const expected = await readTensorProtoFile(`${dir}/test_data_set_0/output_0.pb`);
 */
export async function readTensorProtoFile(path: string): Promise<NamedTensor> {
  return readTensorProto(new Uint8Array(await readFile(path)));
}

function fromRaw(datatype: OipDatatype, raw: Uint8Array, count: number): TensorData {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = <T extends TensorData>(out: T, size: number, get: (offset: number) => T[number]): T => {
    if (raw.byteLength !== count * size) throw new Error(`raw_data has ${raw.byteLength} bytes, expected ${count * size}`);
    for (let i = 0; i < count; i++) out[i] = get(i * size);
    return out;
  };
  switch (datatype) {
    case "FP32": return read(new Float32Array(count), 4, (o) => view.getFloat32(o, true));
    case "FP64": return read(new Float64Array(count), 8, (o) => view.getFloat64(o, true));
    case "FP16":
    case "UINT16": return read(new Uint16Array(count), 2, (o) => view.getUint16(o, true));
    case "INT16": return read(new Int16Array(count), 2, (o) => view.getInt16(o, true));
    case "INT8": return read(new Int8Array(count), 1, (o) => view.getInt8(o));
    case "UINT8":
    case "BOOL": return read(new Uint8Array(count), 1, (o) => view.getUint8(o));
    case "INT32": return read(new Int32Array(count), 4, (o) => view.getInt32(o, true));
    case "UINT32": return read(new Uint32Array(count), 4, (o) => view.getUint32(o, true));
    case "INT64": return read(new BigInt64Array(count), 8, (o) => view.getBigInt64(o, true));
    case "UINT64": return read(new BigUint64Array(count), 8, (o) => view.getBigUint64(o, true));
    case "BYTES": throw new Error("STRING tensors never use raw_data");
  }
}

function fromFields(datatype: OipDatatype, proto: onnx.TensorProto): TensorData {
  const longs = (values: (number | { toString(): string })[]) => values.map((v) => BigInt(v.toString()));
  switch (datatype) {
    case "FP32": return Float32Array.from(proto.floatData);
    case "FP64": return Float64Array.from(proto.doubleData);
    case "FP16":
    case "UINT16": return Uint16Array.from(proto.int32Data);
    case "INT16": return Int16Array.from(proto.int32Data);
    case "INT8": return Int8Array.from(proto.int32Data);
    case "UINT8":
    case "BOOL": return Uint8Array.from(proto.int32Data);
    case "INT32": return Int32Array.from(proto.int32Data);
    case "UINT32": return Uint32Array.from(longs(proto.uint64Data).map(Number));
    case "INT64": return BigInt64Array.from(longs(proto.int64Data));
    case "UINT64": return BigUint64Array.from(longs(proto.uint64Data));
    case "BYTES": {
      const decoder = new TextDecoder("utf-8", { fatal: true });
      return proto.stringData.map((bytes) => decoder.decode(bytes));
    }
  }
}
