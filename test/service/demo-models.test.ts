import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-bert": { copy: join(DEMO_MODELS, "sentiment-bert") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "linear-external": { copy: join(DEMO_MODELS, "linear-external") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
});

describe("the demo models", () => {
  test("all load, each with type, status, timings and version", async () => {
    const { status, body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ is_loaded: true, total_models: 6, loaded_models: 6, failed_models: 0, skipped_models: 0 });
    const types = Object.fromEntries(body.models.map((entry: { name: string; model_type: string }) => [entry.name, entry.model_type]));
    expect(types).toEqual({
      iris_classifier: "onnx",
      lexicon: "lexicon",
      "linear-external": "onnx",
      sales_forecast: "prophet",
      "sentiment-bert": "transformer",
      "sentiment-distilbert": "transformer",
    });
    for (const entry of body.models) {
      expect(entry.status).toBe("loaded");
      expect(entry.version).toBe("1.0.0");
      expect(entry.loaded_at).toBeGreaterThan(1_600_000_000);
      expect(entry.load_duration).toBeGreaterThan(0);
      expect(entry.error).toBeUndefined();
    }
  });

  test("health is healthy with the count in its message", async () => {
    const { status, body } = await getJson(`${served.svc.url}/api/v1/models/health`);
    expect(status).toBe(200);
    expect(body.status).toBe("healthy");
    expect(body.message).toBe("All 6 models loaded successfully");
    expect(body.failed_models).toEqual([]);
  });

  test("the model list gives name, type and status", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/models`);
    expect(body.is_loaded).toBe(true);
    expect(body.models).toContainEqual({ name: "sentiment-bert", type: "transformer", status: "loaded" });
  });

  test("probes: live and ready", async () => {
    expect((await getJson(`${served.svc.url}/v2/health/live`)).status).toBe(200);
    expect((await getJson(`${served.svc.url}/v2/health/ready`)).status).toBe(200);
  });

  test("sentiment comes from the transformer, with sensible labels", async () => {
    const positive = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "I absolutely love this phone, it is wonderful" });
    expect(positive.status).toBe(200);
    expect(positive.body).toMatchObject({ label: "POSITIVE", backend: "transformer" });
    expect(positive.body.score).toBeGreaterThan(0.5);
    expect(positive.body.score).toBeLessThanOrEqual(1);
    const negative = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "Terrible product, it broke after one day. Awful." });
    expect(negative.body).toMatchObject({ label: "NEGATIVE", backend: "transformer" });
    expect(["sentiment-bert", "sentiment-distilbert"]).toContain(negative.body.model);
  });

  test("a batch of 64 texts is answered in one request, each saying its backend", async () => {
    const texts = Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? `great value number ${i}` : `really bad service ${i}`));
    const { status, body } = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts });
    expect(status).toBe(200);
    expect(body.results).toHaveLength(64);
    for (const [i, result] of body.results.entries()) {
      expect(result.backend).toBe("transformer");
      expect(result.label).toBe(i % 2 === 0 ? "POSITIVE" : "NEGATIVE");
    }
  });

  test("the tabular classifier answers over the Open Inference Protocol", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, {
      id: "iris-1",
      inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] }],
    });
    expect(status).toBe(200);
    expect(body.id).toBe("iris-1");
    expect(body.outputs.find((output: { name: string }) => output.name === "label").data).toEqual([0, 2]);
  });

  test("the external-data model runs", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/linear-external/infer`, {
      inputs: [{ name: "x", datatype: "FP32", shape: [1, 8], data: [1, 0, 0, 0, 0, 0, 0, 0] }],
    });
    expect(status).toBe(200);
    expect(body.outputs[0]).toMatchObject({ name: "y", shape: [1, 2] });
  });

  test("the Prophet export forecasts", async () => {
    const { status, body } = await postJson(`${served.svc.url}/api/v1/models/sales_forecast/forecast`, { periods: 7, freq: "D" });
    expect(status).toBe(200);
    expect(body.forecast).toHaveLength(7);
    expect(body.forecast[0].yhat_lower).toBeLessThanOrEqual(body.forecast[0].yhat);
    expect(body.forecast[0].yhat_upper).toBeGreaterThanOrEqual(body.forecast[0].yhat);
  });

  test("the registry counts requests as hits", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    const iris = body.models.find((entry: { name: string }) => entry.name === "iris_classifier");
    expect(iris.hits).toBeGreaterThanOrEqual(1);
    expect(iris.requests).toBe(iris.hits + iris.misses);
  });
});
