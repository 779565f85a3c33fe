import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS, SHARED_FIXTURES } from "../helpers/paths.ts";
import { getJson, postJson } from "../helpers/test-service.ts";
import { copyFile, writeFile } from "node:fs/promises";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
  // MNIST (a fixed batch dimension) comes from ../shared/fixtures; its tests skip without them.
  ...(sharedFixtures.available && { "mnist.ort": { copy: join(SHARED_FIXTURES, "models/mnist_ort_onnxjs/mnist.ort") } }),
  "models.yaml": "models:\n  iris_classifier:\n    version: 2.0.0\n",
}, { MAX_BATCH: "4", MAX_BODY_BYTES: "200000" });

const iris = (data: unknown, extra: Record<string, unknown> = {}) => ({
  inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data, ...extra }],
});

/** Asserts an Open Inference Protocol error: the status and `{ "error": "..." }` matching `pattern`. */
async function expectOipError(path: string, body: unknown, status: number, pattern: RegExp): Promise<void> {
  const result = await postJson(`${served.svc.url}${path}`, body);
  expect(result.status).toBe(status);
  expect(Object.keys(result.body)).toEqual(["error"]);
  expect(result.body.error).toMatch(pattern);
}

describe("server and model metadata", () => {
  test("GET /v2 names the server and its extensions", async () => {
    const { status, body } = await getJson(`${served.svc.url}/v2`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "model-cache", extensions: ["model_repository", "binary_tensor_data", "statistics"] });
  });

  test("model metadata: real tensor names, OIP datatypes, -1 for dynamic dimensions, the manifest's version", async () => {
    const { status, body } = await getJson(`${served.svc.url}/v2/models/iris_classifier`);
    expect(status).toBe(200);
    expect(body).toEqual({
      name: "iris_classifier",
      versions: ["2.0.0"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "input", datatype: "FP32", shape: [-1, 4] }],
      outputs: [
        { name: "label", datatype: "INT64", shape: [-1] },
        { name: "probabilities", datatype: "FP32", shape: [-1, 3] },
      ],
    });
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/versions/2.0.0`)).body.name).toBe("iris_classifier");
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/versions/9.9.9`)).status).toBe(404);
  });

  test("text classifiers take BYTES text and give label and score", async () => {
    const { body } = await getJson(`${served.svc.url}/v2/models/sentiment-distilbert`);
    expect(body.platform).toBe("transformersjs_onnx");
    expect(body.inputs).toEqual([{ name: "text", datatype: "BYTES", shape: [-1] }]);
    expect(body.outputs.map((o: { name: string }) => o.name)).toEqual(["label", "score"]);
  });

  test("a Prophet model's metadata points to the forecast endpoint", async () => {
    const { body } = await getJson(`${served.svc.url}/v2/models/sales_forecast`);
    expect(body.platform).toBe("prophet");
    expect(body.parameters.forecast_endpoint).toBe("/api/v1/models/sales_forecast/forecast");
    await expectOipError("/v2/models/sales_forecast/infer", { inputs: [] }, 400, /does not take tensors.*forecast/);
  });

  test("readiness per model and version", async () => {
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/ready`)).body).toEqual({ name: "iris_classifier", ready: true });
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/versions/2.0.0/ready`)).status).toBe(200);
    expect((await getJson(`${served.svc.url}/v2/models/nope/ready`)).status).toBe(404);
  });
});

describe("inference", () => {
  test("an OIP request and response, id echoed, outputs picked", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/iris_classifier/versions/2.0.0/infer`, {
      id: "req-7",
      inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] }],
      outputs: [{ name: "label" }],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      model_name: "iris_classifier",
      model_version: "2.0.0",
      id: "req-7",
      outputs: [{ name: "label", datatype: "INT64", shape: [2], data: [0, 2] }],
    });
  });

  test("text classifiers over OIP", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/sentiment-distilbert/infer`, {
      inputs: [{ name: "text", datatype: "BYTES", shape: [2], data: ["a wonderful day", "a horrible mess"] }],
    });
    expect(status).toBe(200);
    expect(body.outputs[0]).toEqual({ name: "label", datatype: "BYTES", shape: [2], data: ["POSITIVE", "NEGATIVE"] });
    expect(body.outputs[1].datatype).toBe("FP32");
  });
});

describe("validation: a clear 400 with the OIP error body, never a 500", () => {
  test("unknown model 404", async () => {
    await expectOipError("/v2/models/ghost/infer", iris([1, 2, 3, 4]), 404, /Model "ghost" not found/);
  });

  sharedFixtures.test("model not ready 503", async () => {
    await postJson(`${served.svc.url}/v2/repository/models/mnist/unload`, {}, served.svc.admin);
    await expectOipError("/v2/models/mnist/infer", { inputs: [] }, 503, /not ready/);
    await postJson(`${served.svc.url}/v2/repository/models/mnist/load`, {}, served.svc.admin);
  });

  const cases: [string, unknown, RegExp][] = [
    ["missing input", { inputs: [] }, /"input".*missing|missing.*"input"/i],
    ["unknown input name", { inputs: [{ name: "inputs", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }] }, /"inputs"/],
    ["wrong datatype", iris([1, 2, 3, 4], { datatype: "INT64" }), /FP32/],
    ["shape that does not match the data length", iris([1, 2, 3]), /shape|elements/i],
    ["shape that conflicts with the model's fixed dimension", { inputs: [{ name: "input", datatype: "FP32", shape: [1, 5], data: [1, 2, 3, 4, 5] }] }, /dimension|shape/i],
    ["NaN where the model cannot take it", iris([1, "NaN", 3, 4]), /"input".*NaN/],
    ["Infinity where the model cannot take it", iris([1, 2, "Infinity", 4]), /"input".*Infinity|Infinity.*"input"/],
    ["BYTES given numbers", { inputs: [{ name: "text", datatype: "BYTES", shape: [1], data: [42] }] }, /string/i],
    ["an oversized batch (MAX_BATCH)", { inputs: [{ name: "input", datatype: "FP32", shape: [5, 4], data: Array(20).fill(1) }] }, /batch|MAX_BATCH|4/i],
    ["a non-array data", iris("1,2,3,4"), /data/],
    ["an unknown output", { ...iris([1, 2, 3, 4]), outputs: [{ name: "logits" }] }, /"logits"/],
    ["inputs that are not an array", { inputs: { input: [1, 2, 3, 4] } }, /inputs/],
    ["a text over MAX_TEXT_LENGTH", { inputs: [{ name: "text", datatype: "BYTES", shape: [1], data: ["x".repeat(20_001)] }] }, /"text" element 0 is 20001 characters long.*MAX_TEXT_LENGTH/],
  ];
  test.each(cases)("%s", async (_name, body, pattern) => {
    const model = JSON.stringify(body).includes('"text"') ? "sentiment-distilbert" : "iris_classifier";
    await expectOipError(`/v2/models/${model}/infer`, body, 400, pattern);
  });

  sharedFixtures.test("a fixed batch dimension (MNIST [1,1,28,28]) refuses a batch of 2", async () => {
    await expectOipError("/v2/models/mnist/infer", { inputs: [{ name: "Input3", datatype: "FP32", shape: [2, 1, 28, 28], data: Array(2 * 784).fill(0) }] }, 400, /dimension|shape/i);
  });

  test("a body over the limit is 413 with the OIP error body", async () => {
    await expectOipError("/v2/models/iris_classifier/infer", iris(Array(60_000).fill(1.5)), 413, /over the limit/);
  });
});

describe("model repository extension (admin)", () => {
  test("needs the admin token", async () => {
    expect((await postJson(`${served.svc.url}/v2/repository/index`, {})).status).toBe(401);
    expect((await postJson(`${served.svc.url}/v2/repository/models/iris_classifier/unload`, {})).status).toBe(401);
  });

  test("index lists every model with its state", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/repository/index`, {}, served.svc.admin);
    expect(status).toBe(200);
    expect(body).toContainEqual({ name: "iris_classifier", version: "2.0.0", state: "READY", reason: "" });
    const ready = await postJson(`${served.svc.url}/v2/repository/index`, { ready: true }, served.svc.admin);
    expect(ready.body.every((entry: { state: string }) => entry.state === "READY")).toBe(true);
  });

  test("unload then load by name", async () => {
    const unload = await postJson(`${served.svc.url}/v2/repository/models/iris_classifier/unload`, {}, served.svc.admin);
    expect(unload.body).toEqual({ name: "iris_classifier", state: "UNLOADED", reason: "" });
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/ready`)).status).toBe(503);
    const index = await postJson(`${served.svc.url}/v2/repository/index`, {}, served.svc.admin);
    expect(index.body).toContainEqual({ name: "iris_classifier", version: "2.0.0", state: "UNLOADED", reason: "unloaded" });
    const load = await postJson(`${served.svc.url}/v2/repository/models/iris_classifier/load`, {}, served.svc.admin);
    expect(load.body).toEqual({ name: "iris_classifier", state: "READY", reason: "" });
    expect((await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, iris([5.1, 3.5, 1.4, 0.2]))).status).toBe(200);
  });

  test("a model file dropped into the folder is found by index and loaded by name", async () => {
    await copyFile(join(DEMO_MODELS, "iris_classifier.onnx"), join(served.models.dir, "iris_copy.onnx"));
    const index = await postJson(`${served.svc.url}/v2/repository/index`, {}, served.svc.admin);
    expect(index.body).toContainEqual({ name: "iris_copy", version: "1.0.0", state: "UNLOADED", reason: "skipped" });
    const load = await postJson(`${served.svc.url}/v2/repository/models/iris_copy/load`, {}, served.svc.admin);
    expect(load.status).toBe(200);
  });

  test("a load that fails is 400 with the reason", async () => {
    await writeFile(join(served.models.dir, "broken.onnx"), "not a model");
    const load = await postJson(`${served.svc.url}/v2/repository/models/broken/load`, {}, served.svc.admin);
    expect(load.status).toBe(400);
    expect(load.body.error).toMatch(/Failed to load model "broken".*not a valid ONNX model/);
  });

  test("configs, files and paths in the request are refused; only names of the models folder load", async () => {
    const withFile = await postJson(`${served.svc.url}/v2/repository/models/iris_classifier/load`, { parameters: { "file:1/model.onnx": "AAAA" } }, served.svc.admin);
    expect(withFile.status).toBe(400);
    expect(withFile.body.error).toMatch(/only models found in its models folder/);
    const withConfig = await postJson(`${served.svc.url}/v2/repository/models/iris_classifier/load`, { parameters: { config: "{}" } }, served.svc.admin);
    expect(withConfig.status).toBe(400);
    const path = await postJson(`${served.svc.url}/v2/repository/models/${encodeURIComponent("/etc/passwd")}/load`, {}, served.svc.admin);
    expect(path.status).toBe(404);
    const url = await postJson(`${served.svc.url}/v2/repository/models/${encodeURIComponent("https://example.com/m.onnx")}/load`, {}, served.svc.admin);
    expect(url.status).toBe(404);
  });
});
