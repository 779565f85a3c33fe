/**
 * Imports @huggingface/transformers on top of this host's onnxruntime-web. The import must come
 * after the runtime is placed at `globalThis[Symbol.for("onnxruntime")]`; otherwise, under Bun,
 * transformers.js takes native onnxruntime-node.
 */
import type * as Ort from "onnxruntime-web";
import type { RuntimeOptions } from "../host-protocol.ts";

type Transformers = typeof import("@huggingface/transformers");

let loaded: Promise<Transformers> | undefined;

/** Loads transformers.js once per host, configured for local files only unless allowed. */
export function loadTransformers(ort: typeof Ort, options: RuntimeOptions): Promise<Transformers> {
  loaded ??= (async () => {
    (globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = ort;
    return configureTransformers(await withoutOpaqueLocation(() => import("@huggingface/transformers")), options);
  })();
  return loaded;
}

/** Local files only unless remote models are allowed; downloads only into the cache folder. */
export function configureTransformers(transformers: Transformers, options: RuntimeOptions): Transformers {
  const { env, LogLevel } = transformers;
  env.logLevel = LogLevel.ERROR;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowRemoteModels;
  // Downloads (only when allowed) land in the configured cache folder and nowhere else.
  env.useFSCache = options.allowRemoteModels;
  env.cacheDir = options.cacheDir;
  env.useBrowserCache = false;
  // The host already handed onnxruntime-web its WASM binary; nothing to fetch or cache.
  env.useWasmCache = false;
  return transformers;
}

/**
 * Runs `load` with `globalThis.location` hidden while its origin is opaque (`"null"`: a worker
 * started from a file: URL, as under Deno; Bun's workers have no `location`). The onnxruntime-web
 * bundle inside transformers.js resolves its own URL against `location.origin` when it is
 * imported (even when it is not the runtime used), and `new URL(url, "null")` throws; with no
 * `location` it resolves the absolute URL alone.
 */
async function withoutOpaqueLocation<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as { location?: { origin?: string } };
  if (scope.location?.origin !== "null") return load();
  const own = Object.getOwnPropertyDescriptor(globalThis, "location");
  if (own !== undefined && !own.configurable) return load();
  Object.defineProperty(globalThis, "location", { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    if (own === undefined) delete scope.location;
    else Object.defineProperty(globalThis, "location", own);
  }
}
