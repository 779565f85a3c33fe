/**
 * model-cache's TypeScript API: build a service from a configuration, start it, and use its
 * cache and loaders (the seed's ModelCache, ModelLoader and LazyModelLoader).
 *
 * @example
 * import { ModelService, parseConfig, getModelCache } from "model-cache";
 * const service = await ModelService.create(parseConfig({ MODELS_DIR: "./models" }));
 * await service.start();
 * await service.loading;
 * getModelCache().loadedModels; // ["iris_classifier", "lexicon", …]
 */
export { parseConfig, type Config } from "./config/config.ts";
export { ConfigError } from "./config/config-error.ts";
export { ModelService, type ServiceOptions } from "./service/model-service.ts";
export { getLazyLoader, getModelCache, getModelLoader } from "./service/running-service.ts";
export { ModelCache, type LoadSummary, type ModelLease, type Registry, type SetModelOptions } from "./cache/model-cache.ts";
export type { RegistryEntry } from "./cache/model-record.ts";
export type { Health } from "./cache/health.ts";
export type { ModelBackend, ModelInstance, ModelSpec, ModelStatus, ModelType } from "./cache/model-types.ts";
export { ModelLoader } from "./loaders/model-loader.ts";
export { LazyModelLoader } from "./loaders/lazy-model-loader.ts";
export type { SentimentPipeline } from "./loaders/sentiment-pipeline.ts";
export type { SentimentAnswer } from "./sentiment/sentiment-service.ts";
export { LexiconSentimentAnalyzer } from "./sentiment/lexicon-analyzer.ts";
export { loadProphetForecaster, ProphetForecaster, type ForecastPoint } from "./prophet/index.ts";
export type { HostTensor, ModelSignature, OipDatatype, TensorSpec } from "./inference/tensor.ts";
export { AppError } from "./errors/app-error.ts";
