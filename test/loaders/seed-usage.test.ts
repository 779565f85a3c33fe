/**
 * The seed's usage, translated line for line (README, "TypeScript API"): each Python line of the
 * seed is the comment above its TypeScript translation, run against a real service started
 * through the public API, as an application embedding model-cache would start it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import {
  getLazyLoader,
  getModelCache,
  getModelLoader,
  ModelService,
  parseConfig,
  type SentimentAnswer,
} from "../../src/index.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels, type ModelFiles, type TempModels } from "../helpers/temp-models.ts";
import { SERVICE_HOOK_LIMIT_MS } from "../helpers/limits.ts";

/** Starts a service over a copy of `files` for the tests of the enclosing describe. */
function runService(files: ModelFiles, env: Record<string, string> = {}): void {
  let models: TempModels | undefined;
  let service: ModelService | undefined;
  beforeAll(async () => {
    models = await tempModels(files);
    service = await ModelService.create(parseConfig({ MODELS_DIR: models.dir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env }));
    await service.start();
  }, SERVICE_HOOK_LIMIT_MS);
  afterAll(async () => {
    await service?.stop();
    await models?.cleanup();
  }, SERVICE_HOOK_LIMIT_MS);
}

const DEMO: ModelFiles = {
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
};

/** What a transformers pipeline answers per text: a label and a score (here also who answered). */
function expectAnswer(answer: SentimentAnswer | undefined, label: string, backend: string): void {
  expect(answer).toMatchObject({ label, backend });
  expect(answer!.score).toBeGreaterThan(0.5);
  expect(answer!.score).toBeLessThanOrEqual(1);
}

describe("the seed's usage: models preloaded at start", () => {
  runService(DEMO);

  test("get_model_cache().load_all() and the registry", async () => {
    // cache = get_model_cache()
    const cache = getModelCache();
    // cache.load_all()
    await cache.loadAll();
    // assert cache.is_loaded
    expect(cache.isLoaded).toBe(true);
    // print(cache.loaded_models, cache.failed_models, cache.skipped_models)
    expect(cache.loadedModels).toEqual(["iris_classifier", "lexicon", "sales_forecast", "sentiment-distilbert"]);
    expect(cache.failedModels).toEqual([]);
    expect(cache.skippedModels).toEqual([]);
    // registry = cache.get_registry()
    const registry = cache.getRegistry();
    expect(registry).toMatchObject({ is_loaded: true, total_models: 4, loaded_models: 4, failed_models: 0 });
  });

  test("pipeline = get_model_loader().get_sentiment_pipeline(); pipeline(text); pipeline([texts])", async () => {
    // pipeline = get_model_loader().get_sentiment_pipeline()
    const pipeline = getModelLoader().getSentimentPipeline()!;
    expect(pipeline).toBeFunction();
    // result = pipeline("I love this product!")      → [{"label": "POSITIVE", "score": …}]
    const result = await pipeline("I love this product!");
    expect(result).toHaveLength(1);
    expectAnswer(result[0], "POSITIVE", "transformer");
    // results = pipeline(["Great value", "Terrible, it broke after a day"])
    const results = await pipeline(["Great value", "Terrible, it broke after a day"]);
    expect(results).toHaveLength(2);
    expectAnswer(results[0], "POSITIVE", "transformer");
    expectAnswer(results[1], "NEGATIVE", "transformer");
    // The TypeScript way says the same.
    expect(await pipeline.analyze(["I love this product!"])).toEqual(result);
    expect(pipeline.model).toBe("sentiment-distilbert");
  });

  test("a pipeline refuses what is neither a text nor a list of texts, with a clear error", async () => {
    const pipeline = getModelLoader().getSentimentPipeline()!;
    const call = pipeline as unknown as (input: unknown) => Promise<unknown>;
    await expect(call(42)).rejects.toThrow("A sentiment pipeline takes a text or an array of texts");
    await expect(call(["fine", 7])).rejects.toThrow(TypeError);
  });

  test("get_sklearn_model, list_sklearn_models, has_prophet, has_transformers", async () => {
    // loader = get_model_loader()
    const loader = getModelLoader();
    // model = loader.get_sklearn_model("iris_classifier")
    const model = loader.getOnnxModel("iris_classifier")!;
    // model.predict([[5.1, 3.5, 1.4, 0.2]])               → [0]
    const out = await model.infer!({ input: { datatype: "FP32", shape: [1, 4], data: new Float32Array([5.1, 3.5, 1.4, 0.2]) } }, ["label"]);
    expect(Array.from(out.label!.data as ArrayLike<number | bigint>, Number)).toEqual([0]);
    // loader.list_sklearn_models()                        → ["iris_classifier"]
    expect(loader.listOnnxModels()).toEqual(["iris_classifier"]);
    // loader.has_prophet(), loader.has_transformers()    → True, True
    expect([loader.hasProphet(), loader.hasTransformers()]).toEqual([true, true]);
  });

  test("set_model, get_model, unload_all", async () => {
    // cache = get_model_cache()
    const cache = getModelCache();
    // cache.set_model("rules", rules, model_type="custom", version="2.0")
    const rules = { threshold: 0.7 };
    cache.setModel("rules", rules, { modelType: "custom", version: "2.0" });
    // assert cache.get_model("rules") is rules
    expect(cache.getModel("rules")).toBe(rules);
    expect(cache.getRegistry().models.find((entry) => entry.name === "rules")).toMatchObject({ model_type: "custom", version: "2.0", status: "loaded" });
    // cache.unload_all()
    await cache.unloadAll();
    // assert get_model_loader().get_sentiment_pipeline() is None
    expect(getModelLoader().getSentimentPipeline()).toBeUndefined();
    expect(cache.loadedModels).toEqual([]);
  });
});

describe("the seed's usage: lazy loading", () => {
  runService(DEMO, { PRELOAD: "iris_classifier" });

  test("pipeline = get_lazy_loader().get_or_create_sentiment_pipeline(); pipeline(text); pipeline([texts])", async () => {
    // lazy = get_lazy_loader()
    const lazy = getLazyLoader();
    // pipeline = lazy.get_or_create_sentiment_pipeline()   (loads the transformer now)
    const pipeline = await lazy.getOrCreateSentimentPipeline();
    // pipeline("What a wonderful surprise")             → [{"label": "POSITIVE", …}]
    const [answer] = await pipeline("What a wonderful surprise");
    expectAnswer(answer, "POSITIVE", "transformer");
    // pipeline(["awful", "lovely"])
    const answers = await pipeline(["This is awful and I hate it", "Lovely, I adore it"]);
    expect(answers.map((a) => a.label)).toEqual(["NEGATIVE", "POSITIVE"]);
    expect(getModelCache().loadedModels).toContain("sentiment-distilbert");
  });

  test("get_or_create_model(name, factory) and clear_local_cache()", async () => {
    // lazy = get_lazy_loader()
    const lazy = getLazyLoader();
    // model = lazy.get_or_create_model("keywords", lambda: load_keywords())
    let made = 0;
    const model = await lazy.getOrCreateModel("keywords", () => ({ words: ["great"], made: ++made }));
    // assert lazy.get_or_create_model("keywords", …) is model   (made once)
    expect(await lazy.getOrCreateModel("keywords", () => ({ words: [] as string[], made: ++made }))).toBe(model);
    expect(made).toBe(1);
    // lazy.clear_local_cache()
    await lazy.clearLocalCache();
    expect(getModelCache().getModel("keywords")).toBeUndefined();
  });
});

describe("the seed's usage: lazy loading when no transformer can load", () => {
  runService({ ...DEMO, "sentiment-distilbert/onnx/model.onnx": "not a graph" }, { PRELOAD: "lexicon" });

  test("get_or_create_sentiment_pipeline() falls back to the lexicon, and is still called the same way", async () => {
    // pipeline = get_lazy_loader().get_or_create_sentiment_pipeline()
    const pipeline = await getLazyLoader().getOrCreateSentimentPipeline();
    expect(pipeline.backend).toBe("lexicon");
    // pipeline("Not good at all.")                     → [{"label": "NEGATIVE", …}]
    const [answer] = await pipeline("Not good at all.");
    expectAnswer(answer, "NEGATIVE", "lexicon");
    // pipeline(["Not good at all.", "Excellent!"])
    expect((await pipeline(["Not good at all.", "Excellent!"])).map((a) => a.label)).toEqual(["NEGATIVE", "POSITIVE"]);
  });
});

