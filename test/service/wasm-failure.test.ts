import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-bert": { copy: join(DEMO_MODELS, "sentiment-bert") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
  // Not a WebAssembly module: onnxruntime-web cannot start from it.
  "broken-runtime/ort.wasm": "this is not WebAssembly",
}, { ONNX_BACKEND: "wasm" }, (dir) => ({ runtime: { wasmBinaryPath: join(dir, "broken-runtime/ort.wasm") } }));

describe("when the WASM runtime cannot start", () => {
  test("every ONNX and transformer model is failed, naming the runtime", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    const byName = Object.fromEntries(body.models.map((entry: { name: string }) => [entry.name, entry]));
    for (const name of ["iris_classifier", "sentiment-bert"]) {
      expect(byName[name].status).toBe("failed");
      expect(byName[name].error).toMatch(/The WASM runtime could not start/);
    }
  });

  test("the pure-JS models still load", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/health`);
    expect(body.status).toBe("degraded");
    expect(body.loaded_models).toEqual(["lexicon", "sales_forecast"]);
  });

  test("sentiment is answered by the lexicon", async () => {
    const { status, body } = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: ["I love it", "I hate it"] });
    expect(status).toBe(200);
    expect(body.results.map((result: { backend: string }) => result.backend)).toEqual(["lexicon", "lexicon"]);
    expect(body.results.map((result: { label: string }) => result.label)).toEqual(["POSITIVE", "NEGATIVE"]);
    expect(body.results[0].model).toBe("lexicon");
  });

  test("forecasts still work", async () => {
    const { status } = await postJson(`${served.svc.url}/api/v1/models/sales_forecast/forecast`, { periods: 3 });
    expect(status).toBe(200);
  });
});
