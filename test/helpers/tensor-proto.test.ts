import { describe, expect, test } from "bun:test";
import { onnx } from "onnx-proto";
import { readTensorProto } from "./tensor-proto.ts";

const T = onnx.TensorProto.DataType;
const encode = (properties: onnx.ITensorProto) => onnx.TensorProto.encode(onnx.TensorProto.create(properties)).finish();

describe("readTensorProto: typed fields", () => {
  test("float_data, double_data", () => {
    expect(readTensorProto(encode({ name: "f", dims: [2], dataType: T.FLOAT, floatData: [1.5, -2] }))).toEqual({
      name: "f",
      tensor: { datatype: "FP32", shape: [2], data: new Float32Array([1.5, -2]) },
    });
    expect(readTensorProto(encode({ dims: [1], dataType: T.DOUBLE, doubleData: [0.1] })).tensor.data).toEqual(new Float64Array([0.1]));
  });

  test("int32_data carries INT8, UINT16, BOOL and FP16 bits too", () => {
    expect(readTensorProto(encode({ dims: [2], dataType: T.INT8, int32Data: [-1, 5] })).tensor.data).toEqual(new Int8Array([-1, 5]));
    expect(readTensorProto(encode({ dims: [1], dataType: T.UINT16, int32Data: [65535] })).tensor.data).toEqual(new Uint16Array([65535]));
    expect(readTensorProto(encode({ dims: [2], dataType: T.BOOL, int32Data: [1, 0] })).tensor).toEqual({ datatype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) });
    expect(readTensorProto(encode({ dims: [1], dataType: T.FLOAT16, int32Data: [0x3c00] })).tensor).toEqual({ datatype: "FP16", shape: [1], data: new Uint16Array([0x3c00]) });
  });

  test("int64_data and uint64_data keep 64-bit precision", () => {
    const int64 = readTensorProto(encode({ dims: [2], dataType: T.INT64, int64Data: ["-9223372036854775808", "9007199254740993"] as never }));
    expect(int64.tensor.data).toEqual(new BigInt64Array([-(2n ** 63n), 9007199254740993n]));
    const uint64 = readTensorProto(encode({ dims: [1], dataType: T.UINT64, uint64Data: ["18446744073709551615"] as never }));
    expect(uint64.tensor.data).toEqual(new BigUint64Array([2n ** 64n - 1n]));
  });

  test("string_data as UTF-8", () => {
    const bytes = [new TextEncoder().encode("é😀"), new TextEncoder().encode("")];
    expect(readTensorProto(encode({ dims: [1, 2], dataType: T.STRING, stringData: bytes })).tensor).toEqual({ datatype: "BYTES", shape: [1, 2], data: ["é😀", ""] });
  });

  test("a scalar (no dims) holds one element", () => {
    expect(readTensorProto(encode({ dataType: T.INT32, int32Data: [7] })).tensor).toEqual({ datatype: "INT32", shape: [], data: new Int32Array([7]) });
  });
});

describe("readTensorProto: raw_data", () => {
  test("is little-endian whatever the host", () => {
    const raw = new Uint8Array([0x00, 0x00, 0xc0, 0x3f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]);
    expect(readTensorProto(encode({ dims: [1], dataType: T.FLOAT, rawData: raw.slice(0, 4) })).tensor.data).toEqual(new Float32Array([1.5]));
    expect(readTensorProto(encode({ dims: [1], dataType: T.INT64, rawData: raw.slice(4) })).tensor.data).toEqual(new BigInt64Array([-(2n ** 63n) + 1n]));
  });

  test("a size that does not match dims is an error", () => {
    expect(() => readTensorProto(encode({ dims: [2], dataType: T.FLOAT, rawData: new Uint8Array(4) }))).toThrow(/4 bytes, expected 8/);
  });

  test("unsupported element types are an error", () => {
    expect(() => readTensorProto(encode({ dims: [1], dataType: T.BFLOAT16, rawData: new Uint8Array(2) }))).toThrow(/data type 16/);
  });
});
