import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const bert = (file: string) => ({ copy: join(DEMO_MODELS, "sentiment-bert", file) });

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
  "empty.onnx": "",
  "random.onnx": new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)),
  "webpage.onnx": "<!DOCTYPE html><html><body>Not found</body></html>",
  // A transformer folder without its tokenizer, and one with a broken config.
  "no-tokenizer/config.json": bert("config.json"),
  "no-tokenizer/onnx/model.onnx": bert("onnx/model.onnx"),
  "bad-config/config.json": "{ this is not json",
  "bad-config/tokenizer.json": bert("tokenizer.json"),
  "bad-config/tokenizer_config.json": bert("tokenizer_config.json"),
  "bad-config/onnx/model.onnx": bert("onnx/model.onnx"),
  "not-prophet.json": JSON.stringify({ hello: "world" }),
});

describe("broken models are failed, and the others serve", () => {
  const broken: Record<string, RegExp> = {
    empty: /empty\.onnx is empty \(0 bytes\)/,
    random: /random\.onnx is not (a valid ONNX model|a model onnxruntime-web can load)/,
    webpage: /webpage\.onnx cannot be loaded: it is an HTML page/,
    "no-tokenizer": /missing tokenizer\.json/,
    "bad-config": /config\.json is not valid JSON/,
    "not-prophet": /Prophet|__prophet_version|missing/i,
  };

  test("each broken model is failed with a message saying why", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    for (const [name, reason] of Object.entries(broken)) {
      const entry = body.models.find((model: { name: string }) => model.name === name);
      expect(entry, name).toBeDefined();
      expect(entry.status, name).toBe("failed");
      expect(entry.error, name).toMatch(reason);
      expect(entry.loaded_at, name).toBeNull();
    }
    expect(body.failed_models).toBe(Object.keys(broken).length);
  });

  test("each failure is logged on a line that starts with 'Failed to load'", () => {
    for (const name of Object.keys(broken)) {
      expect(served.svc.logs.some((line) => line.startsWith(`Failed to load model "${name}"`)), name).toBe(true);
    }
  });

  test("error messages name files relative to the models folder, never host paths", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    for (const entry of body.models) {
      expect(JSON.stringify(entry)).not.toContain(served.models.dir);
    }
  });

  test("the healthy models still load and serve", async () => {
    const health = await getJson(`${served.svc.url}/api/v1/models/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("degraded");
    expect(health.body.loaded_models).toEqual(["iris_classifier", "lexicon", "sales_forecast", "sentiment-distilbert"]);
    const sentiment = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "what a lovely day" });
    expect(sentiment.body).toMatchObject({ backend: "transformer", model: "sentiment-distilbert", label: "POSITIVE" });
    const iris = await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, {
      inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
    });
    expect(iris.status).toBe(200);
  });

  test("asking a failed model for inference is 503 with the reason", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/empty/infer`, { inputs: [] });
    expect(status).toBe(503);
    expect(body.error).toMatch(/not ready: it failed to load: empty\.onnx is empty/);
  });

  test("readiness is 200: no failed model is marked required", async () => {
    expect((await getJson(`${served.svc.url}/v2/health/ready`)).status).toBe(200);
  });
});
