import { describe, expect, test } from "bun:test";
import type { InferenceSession } from "onnxruntime-web";
import { signatureFromSession, type SessionMetadata } from "../../src/inference/ort-signature.ts";
import { UnsupportedModelError } from "../../src/inference/inference-error.ts";
import type { ModelSignature } from "../../src/inference/tensor.ts";
import { openFixture } from "../helpers/ort-infer.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

const tensorMeta = (name: string, type: string, shape: (number | string)[]) =>
  ({ name, isTensor: true, type, shape }) as InferenceSession.ValueMetadata;
const nonTensor = (name: string) => ({ name, isTensor: false }) as InferenceSession.ValueMetadata;
const session = (inputs: InferenceSession.ValueMetadata[], outputs: InferenceSession.ValueMetadata[]): SessionMetadata => ({
  inputMetadata: inputs,
  outputMetadata: outputs,
});

describe("signatureFromSession: dimensions", () => {
  test("4294967295 (ORT's unknown), symbolic names and negative numbers all become -1", () => {
    const signature = signatureFromSession(session([tensorMeta("x", "float32", [4294967295, "batch", -1, 3, 0])], []));
    expect(signature.inputs).toEqual([{ name: "x", datatype: "FP32", shape: [-1, -1, -1, 3, 0] }]);
  });
});

describe("signatureFromSession: what cannot cross to JavaScript", () => {
  test("a non-tensor output goes to unsupportedOutputs with a reason that says what to do", () => {
    const signature = signatureFromSession(session([tensorMeta("X", "float32", [4294967295, 2])], [
      tensorMeta("output_label", "int64", [4294967295]),
      nonTensor("output_probability"),
    ]));
    expect(signature.outputs).toEqual([{ name: "output_label", datatype: "INT64", shape: [-1] }]);
    expect(signature.unsupportedOutputs).toHaveLength(1);
    expect(signature.unsupportedOutputs[0]!.name).toBe("output_probability");
    expect(signature.unsupportedOutputs[0]!.reason).toMatch(/not a tensor.*ZipMap.*cannot return non-tensor values to JavaScript.*zipmap': False/);
  });

  test("an int4 output is unsupported, not fatal", () => {
    const signature = signatureFromSession(session([], [tensorMeta("q", "int4", [2])]));
    expect(signature.unsupportedOutputs).toEqual([{ name: "q", reason: '"q" has type int4, which has no Open Inference Protocol datatype.' }]);
  });

  test("a non-tensor input (a map, e.g. DictVectorizer) makes the model unusable", () => {
    expect(() => signatureFromSession(session([nonTensor("features")], []))).toThrow(UnsupportedModelError);
    expect(() => signatureFromSession(session([nonTensor("features")], []))).toThrow(/Input "features" is not a tensor/);
  });

  test("an input of a type without OIP datatype makes the model unusable", () => {
    expect(() => signatureFromSession(session([tensorMeta("w", "uint4", [2])], []))).toThrow(/has type uint4/);
    const error = (() => { try { signatureFromSession(session([tensorMeta("w", "uint4", [2])], [])); } catch (e) { return e; } })();
    expect(error).toMatchObject({ status: 422, code: "unsupported_model" });
  });
});

const ZIPMAP = expect.stringContaining("ZipMap");

/** What onnxruntime-web 1.30 reports for each fixture model, as a signature. */
const EXPECTED: [string, ModelSignature][] = [
  ["skl2onnx_example1/model.onnx", {
    inputs: [{ name: "X", datatype: "FP32", shape: [-1, 2] }],
    outputs: [{ name: "Y", datatype: "FP32", shape: [2, 2] }],
    unsupportedOutputs: [],
  }],
  ["skl2onnx_logreg_iris/model.onnx", {
    inputs: [{ name: "X", datatype: "FP32", shape: [-1, 2] }],
    outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
    unsupportedOutputs: [{ name: "output_probability", reason: ZIPMAP }],
  }],
  ["skl2onnx_rf_iris/model.onnx", {
    inputs: [{ name: "float_input", datatype: "FP32", shape: [-1, 4] }],
    outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
    unsupportedOutputs: [{ name: "output_probability", reason: ZIPMAP }],
  }],
  ["skl2onnx_pipeline_titanic/model.onnx", {
    inputs: [
      { name: "pclass", datatype: "BYTES", shape: [-1, 1] },
      { name: "sex", datatype: "BYTES", shape: [-1, 1] },
      { name: "age", datatype: "FP32", shape: [-1, 1] },
      { name: "fare", datatype: "FP32", shape: [-1, 1] },
      { name: "embarked", datatype: "BYTES", shape: [-1, 1] },
    ],
    outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
    unsupportedOutputs: [{ name: "output_probability", reason: ZIPMAP }],
  }],
  ["skl2onnx_pipeline_titanic_nozipmap/model.onnx", {
    inputs: [
      { name: "pclass", datatype: "INT64", shape: [-1, 1] },
      { name: "sex", datatype: "BYTES", shape: [-1, 1] },
      { name: "age", datatype: "FP32", shape: [-1, 1] },
      { name: "fare", datatype: "FP32", shape: [-1, 1] },
      { name: "embarked", datatype: "BYTES", shape: [-1, 1] },
    ],
    outputs: [{ name: "label", datatype: "INT64", shape: [-1] }, { name: "probabilities", datatype: "FP32", shape: [-1, 2] }],
    unsupportedOutputs: [],
  }],
  ["skl2onnx_pipeline_tfidf/model.onnx", {
    inputs: [{ name: "input", datatype: "BYTES", shape: [-1, 2] }],
    outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
    unsupportedOutputs: [{ name: "output_probability", reason: ZIPMAP }],
  }],
  ["mnist_ort_onnxjs/mnist.ort", {
    inputs: [{ name: "Input3", datatype: "FP32", shape: [1, 1, 28, 28] }],
    outputs: [{ name: "Plus214_Output_0", datatype: "FP32", shape: [1, 10] }],
    unsupportedOutputs: [],
  }],
  ["superres10_onnxjs/model.onnx", {
    // The 8 weights the graph also lists as inputs (old IR) are not reported by ORT.
    inputs: [{ name: "input", datatype: "FP32", shape: [-1, 1, 224, 224] }],
    outputs: [{ name: "output", datatype: "FP32", shape: [-1, 1, 672, 672] }],
    unsupportedOutputs: [],
  }],
];

describe("signatureFromSession on the fixture models (onnxruntime-web 1.30)", () => {
  sharedFixtures.test.each(EXPECTED)("%s", async (path, expected) => {
    const fixture = await openFixture(path);
    expect(signatureFromSession(fixture)).toEqual(expected);
    await fixture.release();
  });
});
