/**
 * Every real model in ../shared/fixtures/models (made by other projects: skl2onnx, the ONNX
 * model zoo, ONNX's conformance tests) and every Prophet export in ../shared/fixtures/prophet,
 * served by a real service and checked through the HTTP API against the results their authors
 * documented or shipped as reference tensors.
 */
import { expect } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { encodeElements } from "../../src/inference/encode-elements.ts";
import type { HostTensor } from "../../src/inference/tensor.ts";
import { firstMismatch } from "../helpers/ort-infer.ts";
import { titanicInputs } from "../helpers/fixture-requests.ts";
import { SHARED_FIXTURES } from "../helpers/paths.ts";
import { readTensorProtoFile } from "../helpers/tensor-proto.ts";
import { tempModels, type ModelFiles, type TempModels } from "../helpers/temp-models.ts";
import { getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { existsSync } from "node:fs";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

// Every test here reads ../shared/fixtures: without them they skip (or fail under MODEL_CACHE_REQUIRE_FIXTURES=1).
const { afterAll, beforeAll, describe, test } = sharedFixtures;

const MODELS = join(SHARED_FIXTURES, "models");
const PROPHET = join(SHARED_FIXTURES, "prophet");
const SKL2ONNX = ["skl2onnx_logreg_iris", "skl2onnx_rf_iris", "skl2onnx_pipeline_titanic_nozipmap", "skl2onnx_pipeline_titanic", "skl2onnx_pipeline_tfidf", "skl2onnx_example1"];
const PROPHET_EXPORTS = ["serialized_model_v0.6.1.dev0", "serialized_model_v0.7.1", "serialized_model_v1.0.1", "databricks_automl_prophet_v1.1.1"];

let conformance: string[] = [];
let models: TempModels;
let svc: TestService;

beforeAll(async () => {
  conformance = (await readdir(join(MODELS, "onnx_testdata_selection"), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: ModelFiles = {
    "mnist_ort_onnxjs.ort": { copy: join(MODELS, "mnist_ort_onnxjs/mnist.ort") },
    "superres10_onnxjs/model.onnx": { copy: join(MODELS, "superres10_onnxjs/model.onnx") },
  };
  for (const name of SKL2ONNX) files[name] = { copy: join(MODELS, name) };
  for (const name of conformance) files[name] = { copy: join(MODELS, "onnx_testdata_selection", name) };
  for (const name of PROPHET_EXPORTS) files[`${name}.json`] = { copy: join(PROPHET, `${name}.json`) };
  models = await tempModels(files);
  svc = await startTestService({ MODELS_DIR: models.dir, MAX_BODY_BYTES: String(32 * 1024 * 1024) });
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await models?.cleanup();
});

const infer = (name: string, body: unknown) => postJson(`${svc.url}/v2/models/${name}/infer`, body);
const outputOf = (body: { outputs: { name: string; data: unknown[]; shape: number[]; datatype: string }[] }, name: string) => body.outputs.find((output) => output.name === name)!;

/** Reference vectors of a model folder, in order. */
async function vectors(folder: string, kind: "input" | "output"): Promise<HostTensor[]> {
  const found: HostTensor[] = [];
  for (let i = 0; ; i++) {
    const path = join(folder, "test_data_set_0", `${kind}_${i}.pb`);
    if (!(existsSync(path))) return found;
    found.push((await readTensorProtoFile(path)).tensor);
  }
}

/** An OIP request feeding reference vectors to the model's inputs, by position. */
async function requestFromVectors(model: string, inputs: HostTensor[]) {
  const { body: metadata } = await getJson(`${svc.url}/v2/models/${model}`);
  return {
    inputs: metadata.inputs.map((spec: { name: string }, i: number) => ({
      name: spec.name,
      datatype: inputs[i]!.datatype,
      shape: inputs[i]!.shape,
      data: encodeElements(inputs[i]!),
    })),
  };
}

describe("every fixture loads", () => {
  test("the registry shows every model loaded, none failed", async () => {
    const { body } = await getJson(`${svc.url}/api/v1/models/registry`);
    const failed = body.models.filter((entry: { status: string }) => entry.status !== "loaded").map((entry: { name: string; error?: string }) => `${entry.name}: ${entry.error}`);
    expect(failed).toEqual([]);
    expect(body.loaded_models).toBe(SKL2ONNX.length + conformance.length + PROPHET_EXPORTS.length + 3);
  });
});

describe("scikit-learn models (skl2onnx)", () => {
  test("iris logistic regression: labels [0,2] for the documented rows", async () => {
    const { status, body } = await infer("skl2onnx_logreg_iris", { inputs: [{ name: "X", datatype: "FP32", shape: [2, 2], data: [[5.1, 3.5], [6.7, 3.0]] }] });
    expect(status).toBe(200);
    expect(outputOf(body, "output_label").data).toEqual([0, 2]);
  });

  test("iris random forest: labels [0,2] for the rows in its SOURCE.md", async () => {
    const { status, body } = await infer("skl2onnx_rf_iris", {
      inputs: [{ name: "float_input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }],
    });
    expect(status).toBe(200);
    expect(outputOf(body, "output_label").data).toEqual([0, 2]);
  });

  test("titanic pipeline without ZipMap: labels [1,0], probabilities within 1e-4, NaN imputed", async () => {
    const { status, body } = await infer("skl2onnx_pipeline_titanic_nozipmap", { inputs: titanicInputs("INT64") });
    expect(status).toBe(200);
    expect(outputOf(body, "label").data).toEqual([1, 0]);
    expect(firstMismatch(outputOf(body, "probabilities").data, [0.1145, 0.8855, 0.8555, 0.1445], 1e-4)).toBeUndefined();
  });

  test("titanic pipeline with ZipMap: labels readable; the seq(map) output is listed as unsupported and refused by name", async () => {
    const request = { inputs: titanicInputs("BYTES") };
    const { status, body } = await infer("skl2onnx_pipeline_titanic", request);
    expect(status).toBe(200);
    expect(outputOf(body, "output_label").data).toEqual([1, 0]);
    const { body: metadata } = await getJson(`${svc.url}/v2/models/skl2onnx_pipeline_titanic`);
    expect(metadata.parameters.unsupported_outputs).toMatch(/^output_probability: .*ZipMap/);
    const refused = await infer("skl2onnx_pipeline_titanic", { ...request, outputs: [{ name: "output_probability" }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/output_probability.*cannot be returned.*ZipMap/s);
  });

  test("TF-IDF text pipeline (string input [N,2]) returns a label per row", async () => {
    const { status, body } = await infer("skl2onnx_pipeline_tfidf", {
      inputs: [{ name: "input", datatype: "BYTES", shape: [2, 2], data: [["Re: the bible and morality", "Is morality possible without religion? The church says no."], ["God and evidence for belief", "There is no evidence that any god exists, says the atheist."]] }],
    });
    expect(status).toBe(200);
    const labels = outputOf(body, "output_label").data;
    expect(labels).toHaveLength(2);
    for (const label of labels) expect([0, 1]).toContain(label as number);
  });

  test("example1 (Add/Mul algebra): [[1,2],[3,4]] gives [3,4,6,9]", async () => {
    const { status, body } = await infer("skl2onnx_example1", { inputs: [{ name: "X", datatype: "FP32", shape: [2, 2], data: [1, 2, 3, 4] }] });
    expect(status).toBe(200);
    expect(body.outputs[0].data).toEqual([3, 4, 6, 9]);
  });
});

describe("ONNX model zoo", () => {
  test("MNIST (.ort format) matches its reference output within 1e-4", async () => {
    const folder = join(MODELS, "mnist_ort_onnxjs");
    const [expected] = await vectors(folder, "output");
    const { status, body } = await infer("mnist_ort_onnxjs", await requestFromVectors("mnist_ort_onnxjs", await vectors(folder, "input")));
    expect(status).toBe(200);
    expect(body.outputs[0].shape).toEqual(expected!.shape);
    expect(firstMismatch(body.outputs[0].data, encodeElements(expected!), 1e-4)).toBeUndefined();
  });

  test("super-resolution: 672×672 output whose first values are the documented ones", async () => {
    const folder = join(MODELS, "superres10_onnxjs");
    const { status, body } = await infer("superres10_onnxjs", await requestFromVectors("superres10_onnxjs", await vectors(folder, "input")));
    expect(status).toBe(200);
    expect(body.outputs[0].shape).toEqual([1, 1, 672, 672]);
    expect(firstMismatch(body.outputs[0].data.slice(0, 3), [0.1463, 0.1068, 0.0817], 1e-4)).toBeUndefined();
  });
});

describe("ONNX conformance graphs (onnx_testdata_selection)", () => {
  test("each output matches its .pb reference", async () => {
    expect(conformance.length).toBeGreaterThanOrEqual(8);
    for (const name of conformance) {
      const folder = join(MODELS, "onnx_testdata_selection", name);
      const expected = await vectors(folder, "output");
      const { status, body } = await infer(name, await requestFromVectors(name, await vectors(folder, "input")));
      expect(status, name).toBe(200);
      expect(body.outputs.length, name).toBe(expected.length);
      body.outputs.forEach((output: { data: unknown[]; shape: number[] }, i: number) => {
        expect(output.shape, name).toEqual(expected[i]!.shape);
        expect(firstMismatch(output.data, encodeElements(expected[i]!), 1e-4), name).toBeUndefined();
      });
    }
  });

  test("test_Linear (opset 6) is upgraded to opset 7 at load and says so", async () => {
    const { body } = await getJson(`${svc.url}/api/v1/models/registry`);
    const entry = body.models.find((model: { name: string }) => model.name === "test_Linear");
    expect(entry.status).toBe("loaded");
    expect(entry.details.upgraded_from_opset).toBe(6);
  });
});

describe("Prophet exports (facebook/prophet and databricks tests)", () => {
  test("the facebook exports give the yhat their tests expect, within 1e-9", async () => {
    const expected: Record<string, number> = {
      "serialized_model_v0.6.1.dev0": 29.3669923968994,
      "serialized_model_v0.7.1": 29.282810844704414,
      "serialized_model_v1.0.1": 29.282810844704414,
    };
    for (const [name, yhat] of Object.entries(expected)) {
      const { status, body } = await postJson(`${svc.url}/api/v1/models/${name}/forecast`, { periods: 10, freq: "D" });
      expect(status, name).toBe(200);
      const last = body.forecast.at(-1);
      expect(last.ds, name).toBe("2020-01-30");
      expect(Math.abs(last.yhat - yhat), name).toBeLessThan(1e-9);
    }
  });

  test("the databricks export gives its test's values to 6 decimals", async () => {
    const { status, body } = await postJson(`${svc.url}/api/v1/models/databricks_automl_prophet_v1.1.1/forecast`, {
      rows: [{ ds: "2020-10-26" }, { ds: "2020-11-01" }, { ds: "2020-11-04" }],
    });
    expect(status).toBe(200);
    expect(body.forecast.map((row: { yhat: number }) => Number(row.yhat.toFixed(6)))).toEqual([8.794826, 10.794835, 12.65636]);
  });

  test("the registry shows each export's Prophet version, growth and seasonalities", async () => {
    const { body } = await getJson(`${svc.url}/api/v1/models/registry`);
    const entry = body.models.find((model: { name: string }) => model.name === "serialized_model_v1.0.1");
    expect(entry.model_type).toBe("prophet");
    expect(entry.details.prophet_version).toBe("1.0.1");
    expect(entry.details.growth).toBe("linear");
    expect(entry.details.seasonalities.map((s: { name: string }) => s.name)).toContain("weekly");
  });
});
