import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { getLazyLoader, getModelCache, getModelLoader } from "../../src/service/running-service.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { setTimeout as sleep } from "node:timers/promises";

describe("lazy loading: the transformer is not preloaded", () => {
  const served = serveModels(
    {
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
      "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
    },
    { PRELOAD: "iris_classifier,sales_forecast" },
  );

  test("models outside PRELOAD are registered as skipped", () => {
    const cache = getModelCache();
    expect(cache).toBe(served.svc.service.cache);
    expect(cache.skippedModels).toEqual(["sentiment-distilbert"]);
    expect(cache.loadedModels).toEqual(["iris_classifier", "lexicon", "sales_forecast"]);
  });

  test("ModelLoader only reports what is loaded", () => {
    const loader = getModelLoader();
    expect(loader.getSentimentPipeline()).toBeUndefined();
    expect(loader.hasTransformers()).toBe(false);
    expect(loader.hasProphet()).toBe(true);
    expect(loader.listOnnxModels()).toEqual(["iris_classifier"]);
    expect(loader.getOnnxModel("iris_classifier")?.infer).toBeFunction();
    expect(loader.getOnnxModel("sales_forecast")).toBeUndefined();
    expect(loader.getOnnxModel("nope")).toBeUndefined();
  });

  test("getOrCreateSentimentPipeline loads the transformer on first use, once for concurrent callers", async () => {
    const lazy = getLazyLoader();
    const [a, b] = await Promise.all([lazy.getOrCreateSentimentPipeline(), lazy.getOrCreateSentimentPipeline()]);
    expect(a).toBe(b);
    // A pipeline is a function (called as the seed's); its fields say what answers.
    expect({ backend: a.backend, model: a.model }).toEqual({ backend: "transformer", model: "sentiment-distilbert" });
    const entry = served.svc.service.cache.entry("sentiment-distilbert")!;
    expect(entry.status).toBe("loaded");
    expect(entry.load_count).toBe(1);
    const [answer] = await a.analyze(["a wonderful surprise"]);
    expect(answer).toMatchObject({ label: "POSITIVE", backend: "transformer", model: "sentiment-distilbert" });
    expect(getModelLoader().hasTransformers()).toBe(true);
    expect(getModelLoader().getSentimentPipeline()?.model).toBe("sentiment-distilbert");
  });

  test("getOrCreateModel makes a model once for concurrent first uses and registers it", async () => {
    const lazy = getLazyLoader();
    let made = 0;
    const factory = async () => {
      made++;
      await sleep(30);
      return { kind: "rules", dispose: async () => undefined };
    };
    const [first, second] = await Promise.all([lazy.getOrCreateModel("rules", factory), lazy.getOrCreateModel("rules", factory)]);
    expect(first).toBe(second);
    expect(made).toBe(1);
    const entry = served.svc.service.cache.entry("rules")!;
    expect(entry).toMatchObject({ status: "loaded", model_type: "custom" });
    expect(entry.load_duration).toBeGreaterThan(0.02);
    expect(await lazy.getOrCreateModel("rules", factory)).toBe(first);
    expect(made).toBe(1);
  });

  test("a failing factory is not remembered: the next call tries again", async () => {
    const lazy = getLazyLoader();
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error("first try fails");
      return { ok: true };
    };
    expect(lazy.getOrCreateModel("flaky", flaky)).rejects.toThrow("first try fails");
    await sleep(1);
    expect(await lazy.getOrCreateModel("flaky", flaky)).toEqual({ ok: true });
  });

  test("clearLocalCache forgets and unloads what the factories made", async () => {
    const lazy = getLazyLoader();
    await lazy.clearLocalCache();
    expect(served.svc.service.cache.entry("rules")!.status).toBe("unloaded");
    expect(served.svc.service.cache.entry("iris_classifier")!.status).toBe("loaded");
  });
});

describe("lazy loading falls back to the lexicon", () => {
  // A transformer whose weights are garbage: it cannot load.
  const served = serveModels(
    {
      "sentiment-broken": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
      "sentiment-broken/onnx/model.onnx": "garbage, not a graph",
    },
    { PRELOAD: "lexicon" },
  );

  test("getOrCreateSentimentPipeline answers with the lexicon when the transformer cannot load", async () => {
    const pipeline = await getLazyLoader().getOrCreateSentimentPipeline();
    expect({ backend: pipeline.backend, model: pipeline.model }).toEqual({ backend: "lexicon", model: "lexicon" });
    const [answer] = await pipeline.analyze(["this is awful"]);
    expect(answer).toMatchObject({ label: "NEGATIVE", backend: "lexicon" });
    expect(served.svc.service.cache.entry("sentiment-broken")!.status).toBe("failed");
  });
});

describe("without a running service", () => {
  test("the accessors say how to start one", () => {
    // Both services above stopped in their afterAll hooks.
    expect(() => getModelCache()).toThrow(/No model-cache service is running/);
    expect(() => getModelLoader()).toThrow(/No model-cache service is running/);
    expect(() => getLazyLoader()).toThrow(/No model-cache service is running/);
  });
});
