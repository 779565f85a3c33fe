import type { ModelCache } from "../cache/model-cache.ts";
import type { ModelInstance } from "../cache/model-types.ts";
import type { SentimentService } from "../sentiment/sentiment-service.ts";
import { transformerPipeline, type SentimentPipeline } from "./sentiment-pipeline.ts";

/**
 * Typed access to what the cache holds (the seed's `ModelLoader`). It never loads anything: it
 * returns what is loaded, or `undefined`.
 *
 * @example
 * const iris = getModelLoader().getOnnxModel("iris_classifier");
 * const out = await iris?.infer({ input: { datatype: "FP32", shape: [1, 4], data } }, ["label"]);
 */
export class ModelLoader {
  constructor(
    private readonly cache: ModelCache,
    private readonly sentiment: SentimentService,
  ) {}

  /** The loaded transformer sentiment pipeline, or `undefined` (seed: `get_sentiment_pipeline`). */
  getSentimentPipeline(): SentimentPipeline | undefined {
    const name = this.sentiment.transformerName();
    if (name === undefined || this.cache.getModel(name) === undefined) return undefined;
    return transformerPipeline(this.sentiment, name);
  }

  /** A loaded ONNX model (seed: `get_sklearn_model`; scikit-learn models arrive as skl2onnx exports). */
  getOnnxModel(name: string): ModelInstance | undefined {
    if (this.cache.spec(name)?.modelType !== "onnx") return undefined;
    return this.cache.getModel<ModelInstance>(name);
  }

  /** Names of the loaded ONNX models (seed: `list_sklearn_models`). */
  listOnnxModels(): string[] {
    return this.loadedOf("onnx");
  }

  /** True when at least one Prophet model is loaded. */
  hasProphet(): boolean {
    return this.loadedOf("prophet").length > 0;
  }

  /** True when at least one transformer model is loaded. */
  hasTransformers(): boolean {
    return this.loadedOf("transformer").length > 0;
  }

  private loadedOf(type: string): string[] {
    return this.cache.loadedModels.filter((name) => this.cache.spec(name)?.modelType === type);
  }
}
