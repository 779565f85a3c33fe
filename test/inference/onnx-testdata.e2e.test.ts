/**
 * The 8 single-operator ONNX conformance graphs (Debian libonnx-testdata) through the OIP codec
 * and onnxruntime-web, compared with their reference test_data_set_0 outputs. Test vectors map
 * to model inputs by position: their TensorProto names need not match.
 */
import { expect } from "bun:test";
import * as ort from "onnxruntime-web";
import { onnx } from "onnx-proto";
import { join } from "node:path";
import { encodeElements } from "../../src/inference/encode-elements.ts";
import { FIXTURE_MODELS, firstMismatch, openOipModel, runHostTensors } from "../helpers/ort-infer.ts";
import { readTensorProtoFile } from "../helpers/tensor-proto.ts";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

// Every test here reads ../shared/fixtures: without them they skip (or fail under MODEL_CACHE_REQUIRE_FIXTURES=1).
const { describe, test } = sharedFixtures;

const SELECTION = join(FIXTURE_MODELS, "onnx_testdata_selection");

async function testVectors(name: string, kind: "input" | "output") {
  const tensors = [];
  for (let i = 0; existsSync(join(SELECTION, name, "test_data_set_0", `${kind}_${i}.pb`)); i++) {
    tensors.push((await readTensorProtoFile(join(SELECTION, name, "test_data_set_0", `${kind}_${i}.pb`))).tensor);
  }
  return tensors;
}

const RUNNABLE = [
  "test_argmax_default_axis_example",
  "test_cast_STRING_to_FLOAT",
  "test_sign_model",
  "test_single_relu_model",
  "test_softmax_example",
  "test_strnorm_model_monday_casesensintive_lower",
  "test_tfidfvectorizer_tf_uniandbigrams_skip5",
];

describe("ONNX conformance graphs through OIP JSON", () => {
  test.each(RUNNABLE)("%s matches output_0.pb", async (name) => {
    const model = await openOipModel(`onnx_testdata_selection/${name}/model.onnx`);
    const inputs = await testVectors(name, "input");
    const expected = await testVectors(name, "output");
    const body = {
      inputs: model.signature.inputs.map((spec, i) => ({ name: spec.name, datatype: inputs[i]!.datatype, shape: inputs[i]!.shape, data: encodeElements(inputs[i]!) })),
    };
    // cast_STRING_to_FLOAT's inputs are strings such as "NaN" and "+INF", its outputs real NaN/Inf.
    const response = await model.infer(body, { allowNonFinite: true });
    expect(response.outputs).toHaveLength(expected.length);
    response.outputs.forEach((output, i) => {
      expect([output.datatype, output.shape]).toEqual([expected[i]!.datatype, expected[i]!.shape]);
      expect(firstMismatch(output.data, encodeElements(expected[i]!), 1e-4)).toBeUndefined();
    });
  });

  test("StringNormalizer (onnxruntime-node fails on it without en_US.UTF-8) lower-cases and drops the stop word on web", async () => {
    const model = await openOipModel("onnx_testdata_selection/test_strnorm_model_monday_casesensintive_lower/model.onnx");
    const response = await model.infer({ inputs: [{ name: "x", datatype: "BYTES", shape: [4], data: ["monday", "TUESDAY", "Monday", "é"] }] });
    // Case-sensitive stop word: only the exact "monday" goes; the output has fewer rows than the input.
    expect(response.outputs[0]).toEqual({ name: "y", datatype: "BYTES", shape: [3], data: ["tuesday", "monday", "é"] });
  });
});

describe("test_Linear (pytorch 0.3, opset 6)", () => {
  const path = join(SELECTION, "test_Linear/model.onnx");

  test("onnxruntime-web cannot load it: ORT has no Gemm kernel for opset 6", async () => {
    await expect(ort.InferenceSession.create(await readFile(path), { logSeverityLevel: 4 })).rejects.toThrow(/Could not find an implementation for Gemm\(6\)/);
  });

  test("re-stamped as opset 7 (Gemm-7 is Gemm-6 with broadcast always on) it matches output_0.pb", async () => {
    const model = onnx.ModelProto.decode(await readFile(path));
    model.opsetImport = [onnx.OperatorSetIdProto.create({ domain: "", version: 7 })];
    for (const node of model.graph?.node ?? []) node.attribute = (node.attribute ?? []).filter((a) => a.name !== "broadcast");
    const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { logSeverityLevel: 4 });
    // Inputs "1" and "2" are weights that are also initializers: ORT reports only "0".
    expect(session.inputNames).toEqual(["0"]);
    const [input] = await testVectors("test_Linear", "input");
    const [expected] = await testVectors("test_Linear", "output");
    const outputs = await runHostTensors(session, { "0": input! }, ["3"]);
    expect(outputs["3"]!.shape).toEqual([4, 8]);
    expect(firstMismatch(encodeElements(outputs["3"]!), encodeElements(expected!), 1e-4)).toBeUndefined();
  });
});
