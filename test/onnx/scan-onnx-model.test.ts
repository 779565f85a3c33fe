import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { scanOnnxModel } from "../../src/onnx/scan-onnx-model.ts";
import { ProtobufFormatError } from "../../src/onnx/protobuf-reader.ts";
import { DEMO_MODELS, SHARED_FIXTURES } from "../helpers/paths.ts";
import { readFile } from "node:fs/promises";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

describe("scanOnnxModel", () => {
  test("finds external data and operators", async () => {
    const scan = scanOnnxModel(await readFile(join(DEMO_MODELS, "linear-external/model.onnx")));
    expect(new Set(scan.externalData.map((ref) => ref.location))).toEqual(new Set(["model.onnx.data"]));
    expect(scan.opTypes.has("MatMul")).toBe(true);
  });

  test("a model without external data has none", async () => {
    const scan = scanOnnxModel(await readFile(join(DEMO_MODELS, "iris_classifier.onnx")));
    expect(scan.externalData).toEqual([]);
  });

  sharedFixtures.test("sees the imputer in the titanic pipeline", async () => {
    const scan = scanOnnxModel(await readFile(join(SHARED_FIXTURES, "models/skl2onnx_pipeline_titanic_nozipmap/model.onnx")));
    expect(scan.opTypes.has("Imputer")).toBe(true);
  });

  test("random bytes are a ProtobufFormatError, not a crash", () => {
    const junk = new Uint8Array(Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) % 256));
    expect(() => scanOnnxModel(junk)).toThrow(ProtobufFormatError);
    expect(() => scanOnnxModel(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(ProtobufFormatError);
  });
});
