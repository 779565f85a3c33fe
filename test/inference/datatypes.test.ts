import { describe, expect, test } from "bun:test";
import {
  allocateTensorData,
  dataMatchesDatatype,
  isFloatDatatype,
  isOipDatatype,
  OIP_DATATYPES,
  oipToOrtType,
  ortToOipType,
} from "../../src/inference/datatypes.ts";

describe("OIP ↔ onnxruntime-web type names", () => {
  test("every OIP datatype maps to an ORT type and back", () => {
    for (const datatype of OIP_DATATYPES) expect(ortToOipType(oipToOrtType(datatype))).toBe(datatype);
  });

  test("the pairs", () => {
    expect(OIP_DATATYPES.map(oipToOrtType)).toEqual([
      "bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "string",
    ]);
  });

  test("ORT types without an OIP name", () => {
    expect(ortToOipType("int4")).toBeUndefined();
    expect(ortToOipType("uint4")).toBeUndefined();
    expect(ortToOipType("toString")).toBeUndefined();
  });
});

test("isOipDatatype is exact and ignores inherited names", () => {
  expect(isOipDatatype("BYTES")).toBe(true);
  expect(isOipDatatype("bytes")).toBe(false);
  expect(isOipDatatype("BF16")).toBe(false);
  expect(isOipDatatype("constructor")).toBe(false);
  expect(isOipDatatype(1)).toBe(false);
});

test("isFloatDatatype", () => {
  expect(OIP_DATATYPES.filter(isFloatDatatype)).toEqual(["FP16", "FP32", "FP64"]);
});

describe("containers", () => {
  test("allocateTensorData gives the right container and length", () => {
    expect(allocateTensorData("INT64", 2)).toEqual(new BigInt64Array(2));
    expect(allocateTensorData("BOOL", 1)).toEqual(new Uint8Array(1));
    expect(allocateTensorData("FP16", 3)).toEqual(new Uint16Array(3));
    expect(allocateTensorData("BYTES", 2)).toEqual(["", ""]);
  });

  test("dataMatchesDatatype tells containers apart", () => {
    for (const datatype of OIP_DATATYPES) expect(dataMatchesDatatype(datatype, allocateTensorData(datatype, 1))).toBe(true);
    expect(dataMatchesDatatype("FP32", new Float64Array(1))).toBe(false);
    expect(dataMatchesDatatype("INT64", new BigUint64Array(1))).toBe(false);
    expect(dataMatchesDatatype("BYTES", new Uint8Array(1))).toBe(false);
    expect(dataMatchesDatatype("UINT8", ["a"])).toBe(false);
  });
});
