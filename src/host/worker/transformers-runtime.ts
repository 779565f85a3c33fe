/**
 * Imports @huggingface/transformers on top of this host's onnxruntime-web. The import must come
 * after the runtime is placed at `globalThis[Symbol.for("onnxruntime")]`; otherwise, under Bun,
 * transformers.js takes native onnxruntime-node. It is imported as on a server (see
 * `Runtime.importAsServer`): in a Deno worker it would otherwise take browser code paths.
 */
import type * as Ort from "onnxruntime-web";
import { runtime } from "#runtime";
import type { RuntimeOptions } from "../host-protocol.ts";

type Transformers = typeof import("@huggingface/transformers");

let loaded: Promise<Transformers> | undefined;

/** Loads transformers.js once per host, configured for local files only unless allowed. */
export function loadTransformers(ort: typeof Ort, options: RuntimeOptions): Promise<Transformers> {
  loaded ??= (async () => {
    (globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = ort;
    return configureTransformers(await runtime.importAsServer(() => import("@huggingface/transformers")), options);
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
