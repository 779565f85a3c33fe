/**
 * The OIP codec on the real fixture models, in-process: request JSON → decode → onnxruntime-web →
 * encode → response JSON. Expected values come from each model's SOURCE.md and reference .pb files.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { encodeElements } from "../../src/inference/encode-elements.ts";
import { InferenceRequestError } from "../../src/inference/inference-error.ts";
import { FIXTURE_MODELS, firstMismatch, openOipModel } from "../helpers/ort-infer.ts";
import { readTensorProtoFile } from "../helpers/tensor-proto.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

// Every test here reads ../shared/fixtures: without them they skip (or fail under MODEL_CACHE_REQUIRE_FIXTURES=1).
const { describe, test } = sharedFixtures;

const titanicRows = (pclass: unknown[], age: unknown[] = [29, "NaN"]) => ({
  id: "titanic-1",
  inputs: [
    { name: "pclass", datatype: typeof pclass[0] === "string" ? "BYTES" : "INT64", shape: [2, 1], data: pclass },
    { name: "sex", datatype: "BYTES", shape: [2, 1], data: [["female"], ["male"]] },
    { name: "age", datatype: "FP32", shape: [2, 1], data: age },
    { name: "fare", datatype: "FP32", shape: [2, 1], data: [211.3375, 7.25] },
    { name: "embarked", datatype: "BYTES", shape: [2, 1], data: ["S", "missing"] },
  ],
});

describe("iris classifiers (ZipMap probabilities not returnable)", () => {
  test("logistic regression: [[5.1,3.5],[6.7,3.0]] → labels [0, 2], only the tensor output by default", async () => {
    const iris = await openOipModel("skl2onnx_logreg_iris/model.onnx");
    const response = await iris.infer({ id: "r1", inputs: [{ name: "X", datatype: "FP32", shape: [2, 2], data: [[5.1, 3.5], [6.7, 3.0]] }] });
    expect(response).toEqual({
      model_name: "skl2onnx_logreg_iris",
      model_version: "1",
      id: "r1",
      outputs: [{ name: "output_label", datatype: "INT64", shape: [2], data: [0, 2] }],
    });
  });

  test("random forest: → labels [0, 2]", async () => {
    const rf = await openOipModel("skl2onnx_rf_iris/model.onnx");
    const body = { inputs: [{ name: "float_input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }], outputs: [{ name: "output_label" }] };
    expect((await rf.infer(body)).outputs[0]!.data).toEqual([0, 2]);
  });

  test("asking for output_probability is a 400 that explains ZipMap", async () => {
    const iris = await openOipModel("skl2onnx_logreg_iris/model.onnx");
    const body = { inputs: [{ name: "X", datatype: "FP32", shape: [1, 2], data: [5.1, 3.5] }], outputs: [{ name: "output_probability" }] };
    const error = await iris.infer(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceRequestError);
    expect((error as Error).message).toMatch(/^Output "output_probability" cannot be returned: .*ZipMap.*zipmap': False/);
  });

  test("NaN is refused by default: iris would silently answer label 0 for it", async () => {
    const iris = await openOipModel("skl2onnx_logreg_iris/model.onnx");
    const body = { inputs: [{ name: "X", datatype: "FP32", shape: [1, 2], data: ["NaN", 3.5] }] };
    await expect(iris.infer(body)).rejects.toThrow(/^Input "X" element 0 is NaN/);
    expect((await iris.infer(body, { allowNonFinite: true })).outputs[0]!.data).toEqual([0]);
  });
});

describe("titanic pipelines (mixed INT64 / BYTES / FP32 inputs, NaN age imputed)", () => {
  test("without ZipMap: labels [1, 0] and probabilities within 1e-4", async () => {
    const titanic = await openOipModel("skl2onnx_pipeline_titanic_nozipmap/model.onnx");
    const response = await titanic.infer(titanicRows([1, 3]), { allowNonFinite: new Set(["age"]) });
    expect(response.id).toBe("titanic-1");
    expect(response.outputs.map((o) => [o.name, o.datatype, o.shape])).toEqual([["label", "INT64", [2]], ["probabilities", "FP32", [2, 2]]]);
    expect(response.outputs[0]!.data).toEqual([1, 0]);
    expect(firstMismatch(response.outputs[1]!.data, [0.1145, 0.8855, 0.8555, 0.1445], 1e-4)).toBeUndefined();
  });

  test("NaN in age needs the model's permission; the message names the input and element", async () => {
    const titanic = await openOipModel("skl2onnx_pipeline_titanic_nozipmap/model.onnx");
    await expect(titanic.infer(titanicRows([1, 3]))).rejects.toThrow(/^Input "age" element 1 is NaN/);
    await expect(titanic.infer(titanicRows([1, 3], [29, 30]), { allowNonFinite: new Set(["fare"]) })).resolves.toBeDefined();
  });

  test("pclass must be INT64 here, and INT64 accepts decimal strings", async () => {
    const titanic = await openOipModel("skl2onnx_pipeline_titanic_nozipmap/model.onnx");
    await expect(titanic.infer(titanicRows(["1", "3"]), { allowNonFinite: true })).rejects.toThrow(/^Input "pclass" has datatype BYTES, but the model expects INT64$/);
    const asStrings = { ...titanicRows([1, 3]) };
    asStrings.inputs[0] = { ...asStrings.inputs[0]!, data: ["1", "3"] };
    expect((await titanic.infer(asStrings, { allowNonFinite: true })).outputs[0]!.data).toEqual([1, 0]);
  });

  test("with ZipMap (pclass as BYTES): labels [1, 0] readable, probabilities not", async () => {
    const titanic = await openOipModel("skl2onnx_pipeline_titanic/model.onnx");
    const response = await titanic.infer(titanicRows(["1", "3"]), { allowNonFinite: true });
    expect(response.outputs).toEqual([{ name: "output_label", datatype: "INT64", shape: [2], data: [1, 0] }]);
    expect(titanic.signature.unsupportedOutputs.map((o) => o.name)).toEqual(["output_probability"]);
  });
});

describe("TF-IDF text pipeline (BYTES [N,2]: subject, body)", () => {
  const rows = [
    ["Re: Atheists and morality", "Atheists can have morality without god."],
    ["Koresh and the Davidians", "The siege at Waco and the messiah claims."],
    ["", ""],
  ];

  test("returns one label (0 or 1) per row", async () => {
    const tfidf = await openOipModel("skl2onnx_pipeline_tfidf/model.onnx");
    const response = await tfidf.infer({ inputs: [{ name: "input", datatype: "BYTES", shape: [3, 2], data: rows }] });
    expect(response.outputs[0]!.shape).toEqual([3]);
    for (const label of response.outputs[0]!.data) expect([0, 1]).toContain(label as number);
  });

  test("model quirk: a subject that is exactly one stop word drops its row, and a batch then fails inside ORT", async () => {
    // skl2onnx puts the stop-word StringNormalizer before the Tokenizer, so it removes whole
    // strings: "atheism" vanishes, the subject branch has N-1 rows and Concat fails.
    const tfidf = await openOipModel("skl2onnx_pipeline_tfidf/model.onnx");
    const body = (subject: string) => ({ inputs: [{ name: "input", datatype: "BYTES", shape: [2, 2], data: [[subject, "x"], ["hello", "y"]] }] });
    await expect(tfidf.infer(body("atheism"))).rejects.toThrow(/Concat.*mismatched dimensions of 2 and 1/);
    expect((await tfidf.infer(body("atheism x"))).outputs[0]!.shape).toEqual([2]);
  });

  test("a rank-1 input is a 400 from the codec, not an ORT error", async () => {
    const tfidf = await openOipModel("skl2onnx_pipeline_tfidf/model.onnx");
    await expect(tfidf.infer({ inputs: [{ name: "input", datatype: "BYTES", shape: [2], data: ["a", "b"] }] })).rejects.toThrow(InferenceRequestError);
  });
});

describe("skl2onnx example1 (Add/Mul)", () => {
  test("[[1,2],[3,4]] → [3,4,6,9]", async () => {
    const example = await openOipModel("skl2onnx_example1/model.onnx");
    const response = await example.infer({ inputs: [{ name: "X", datatype: "FP32", shape: [2, 2], data: [[1, 2], [3, 4]] }] });
    expect(response.outputs).toEqual([{ name: "Y", datatype: "FP32", shape: [2, 2], data: [3, 4, 6, 9] }]);
  });
});

describe("model-zoo images vs their test_data_set_0", () => {
  test("MNIST in .ort format: Plus214_Output_0 within 1e-4 of output_0.pb", async () => {
    const dir = join(FIXTURE_MODELS, "mnist_ort_onnxjs/test_data_set_0");
    const mnist = await openOipModel("mnist_ort_onnxjs/mnist.ort");
    const input = (await readTensorProtoFile(join(dir, "input_0.pb"))).tensor;
    const expected = (await readTensorProtoFile(join(dir, "output_0.pb"))).tensor;
    const response = await mnist.infer({ inputs: [{ name: "Input3", datatype: "FP32", shape: input.shape, data: encodeElements(input) }] });
    expect(response.outputs[0]!.shape).toEqual(expected.shape);
    expect(firstMismatch(response.outputs[0]!.data, encodeElements(expected), 1e-4)).toBeUndefined();
  });

  test("MNIST's fixed batch of 1 is enforced by the codec", async () => {
    const mnist = await openOipModel("mnist_ort_onnxjs/mnist.ort");
    const body = { inputs: [{ name: "Input3", datatype: "FP32", shape: [2, 1, 28, 28], data: new Array(2 * 784).fill(0) }] };
    await expect(mnist.infer(body)).rejects.toThrow(/^Input "Input3": dimension 0 is 2, but the model fixes it to 1 \[1,1,28,28\]$/);
  });

  test("super-resolution-10: [1,1,672,672], first outputs 0.1463, 0.1068, 0.0817", async () => {
    const superres = await openOipModel("superres10_onnxjs/model.onnx");
    // The .pb tensor is named "X", not "input": test vectors map by position.
    const input = (await readTensorProtoFile(join(FIXTURE_MODELS, "superres10_onnxjs/test_data_set_0/input_0.pb"))).tensor;
    const response = await superres.infer({ inputs: [{ name: "input", datatype: "FP32", shape: input.shape, data: encodeElements(input) }] });
    expect(response.outputs[0]!.shape).toEqual([1, 1, 672, 672]);
    expect(firstMismatch(response.outputs[0]!.data.slice(0, 3), [0.1463, 0.1068, 0.0817], 1e-4)).toBeUndefined();
  });

  test("super-resolution's symbolic batch_size is held to maxBatch", async () => {
    const superres = await openOipModel("superres10_onnxjs/model.onnx");
    const body = { inputs: [{ name: "input", datatype: "FP32", shape: [3, 1, 224, 224], data: [] }] };
    await expect(superres.infer(body, { maxBatch: 2 })).rejects.toThrow(/batch size 3 is over the limit of 2/);
  });
});
