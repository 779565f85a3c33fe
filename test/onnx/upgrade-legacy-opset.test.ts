import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-web";
import { scanOnnxModel } from "../../src/onnx/scan-onnx-model.ts";
import { LegacyOpsetError, upgradeLegacyOpset } from "../../src/onnx/upgrade-legacy-opset.ts";
import { SHARED_FIXTURES } from "../helpers/paths.ts";
import { readFile } from "node:fs/promises";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

const LINEAR = join(SHARED_FIXTURES, "models/onnx_testdata_selection/test_Linear/model.onnx");

function legacyModel(node: onnx.INodeProto): Uint8Array {
  const tensor = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 3,
      opsetImport: [{ domain: "", version: 6 }],
      graph: { name: "g", node: [node], input: [tensor("a"), tensor("b")], output: [tensor("y")] },
    }),
  ).finish();
}

describe("upgradeLegacyOpset", () => {
  sharedFixtures.test("test_Linear (PyTorch 0.3, opset 6) becomes opset 7 without `broadcast`, and onnxruntime-web loads it", async () => {
    const original = await readFile(LINEAR);
    expect(scanOnnxModel(original).defaultOpset).toBe(6);
    await expect(ort.InferenceSession.create(original, { logSeverityLevel: 4 })).rejects.toThrow(/Gemm\(6\)/);
    const upgraded = upgradeLegacyOpset(original);
    expect(scanOnnxModel(upgraded).defaultOpset).toBe(7);
    const decoded = onnx.ModelProto.decode(upgraded);
    for (const node of decoded.graph!.node!) expect(node.attribute!.map((a) => a.name)).not.toContain("broadcast");
    // Everything else is kept byte for byte: weights, names, producer.
    expect(decoded.graph!.initializer!.length).toBe(onnx.ModelProto.decode(original).graph!.initializer!.length);
    const session = await ort.InferenceSession.create(upgraded, { logSeverityLevel: 4 });
    expect(session.inputNames).toEqual(["0"]);
  });

  test("legacy axis broadcasting is refused, not silently changed", () => {
    const bytes = legacyModel({ opType: "Add", input: ["a", "b"], output: ["y"], attribute: [{ name: "broadcast", type: 2, i: 1 }, { name: "axis", type: 2, i: 0 }] });
    expect(() => upgradeLegacyOpset(bytes)).toThrow(LegacyOpsetError);
  });

  test("operators redefined at opset 7 are refused", () => {
    expect(() => upgradeLegacyOpset(legacyModel({ opType: "PRelu", input: ["a", "b"], output: ["y"] }))).toThrow(/PRelu changed meaning/);
  });

  test("Dropout loses `is_test`, other attributes stay", () => {
    const bytes = legacyModel({ opType: "Dropout", input: ["a"], output: ["y"], attribute: [{ name: "is_test", type: 2, i: 1 }, { name: "ratio", type: 1, f: 0.5 }] });
    const node = onnx.ModelProto.decode(upgradeLegacyOpset(bytes)).graph!.node![0]!;
    expect(node.attribute!.map((a) => a.name)).toEqual(["ratio"]);
  });
});
