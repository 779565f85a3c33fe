/**
 * Loads @huggingface/transformers so that it runs on onnxruntime-web (WASM) under Bun, reads
 * models only from a local folder, and writes nothing anywhere.
 *
 * Recipe (order matters; transformers.js picks its runtime when it is first imported):
 * 1. import onnxruntime-web, point env.wasm.wasmPaths at the local dist/ folder (otherwise
 *    transformers.js substitutes a CDN URL, which fails offline) and fix numThreads;
 * 2. put it at globalThis[Symbol.for("onnxruntime")];
 * 3. import("@huggingface/transformers") dynamically (a static import would be hoisted
 *    above step 2);
 * 4. allowRemoteModels = false, localModelPath = folder, and switch off the file-system and
 *    WASM caches (their defaults write into node_modules/@huggingface/transformers/.cache).
 * Then pipeline(task, "<folder name>", { device: "auto", dtype: "fp32" }).
 */
import * as ort from "onnxruntime-web";
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The transformers.js module, typed loosely to avoid depending on its declaration files. */
export type TransformersModule = typeof import("@huggingface/transformers");

let loaded: Promise<TransformersModule> | undefined;

/**
 * Returns transformers.js configured for local models in `localModelPath` on onnxruntime-web.
 * The runtime is shared by the whole process, so the first caller's folder wins.
 * @example
 * const { pipeline } = await transformersOnWasm("models");
 * const classify = await pipeline("sentiment-analysis", "sentiment-bert", { device: "auto", dtype: "fp32" });
 */
export function transformersOnWasm(localModelPath: string): Promise<TransformersModule> {
  loaded ??= (async () => {
    // An exported file of dist/ (the package exports no package.json, which Deno enforces).
    const dist = dirname(createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
    ort.env.wasm.wasmPaths = `${dist}/`;
    ort.env.wasm.numThreads = 1;
    const slot = globalThis as Record<symbol, unknown>;
    // Another part of the process may already have installed the runtime the same way.
    slot[Symbol.for("onnxruntime")] ??= ort;
    const transformers = await import("@huggingface/transformers");
    const { env } = transformers;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = localModelPath.endsWith("/") ? localModelPath : `${localModelPath}/`;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.useWasmCache = false;
    return transformers;
  })();
  return loaded;
}
