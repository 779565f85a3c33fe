import type { ModelCache } from "../cache/model-cache.ts";
import type { LazyModelLoader } from "../loaders/lazy-model-loader.ts";
import type { ModelLoader } from "../loaders/model-loader.ts";

interface Running {
  cache: ModelCache;
  loader: ModelLoader;
  lazyLoader: LazyModelLoader;
}

let running: Running | undefined;

/** Called by the service when it starts; the accessors below then hand out its parts. */
export function setRunningService(service: Running): void {
  running = service;
}

/** Called by the service when it stops. */
export function clearRunningService(service: Running): void {
  if (running === service) running = undefined;
}

function current(): Running {
  if (running === undefined) {
    throw new Error("No model-cache service is running: start one with ModelService.create(config).start()");
  }
  return running;
}

/** The running service's model cache (seed: `get_model_cache()`). */
export function getModelCache(): ModelCache {
  return current().cache;
}

/** The running service's model loader (seed: `get_model_loader()`). */
export function getModelLoader(): ModelLoader {
  return current().loader;
}

/** The running service's lazy loader (seed: `get_lazy_loader()`). */
export function getLazyLoader(): LazyModelLoader {
  return current().lazyLoader;
}
