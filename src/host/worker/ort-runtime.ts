/**
 * The one onnxruntime-web (WASM) runtime of a model host. Plain ONNX sessions and transformers.js
 * both run on it: transformers.js is handed this instance through
 * `globalThis[Symbol.for("onnxruntime")]` before it is first imported, so it never reaches for
 * native onnxruntime-node nor for a CDN.
 */
import * as ort from "onnxruntime-web";
import { pathToFileURL } from "node:url";
import { runtime } from "#runtime";
import type { RuntimeOptions } from "../host-protocol.ts";
import { RuntimeUnavailableError } from "./worker-errors.ts";
import { watchWasmMemories } from "./wasm-memory.ts";
import { PROBE_MODEL } from "./probe-model.ts";


let ready: Promise<typeof ort> | undefined;

/**
 * Starts the runtime once; later calls share the result. A runtime that cannot start rejects
 * every call with {@link RuntimeUnavailableError}, so every ONNX and transformer model fails
 * with the same clear reason while the lexicon keeps serving.
 */
export function startOrt(options: RuntimeOptions): Promise<typeof ort> {
  ready ??= start(options);
  return ready;
}

async function start(options: RuntimeOptions): Promise<typeof ort> {
  try {
    watchWasmMemories();
    ort.env.wasm.numThreads = options.numThreads;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = "error";
    const { ortWasm, ortWasmFactory } = runtime.assets;
    ort.env.wasm.wasmPaths = {
      mjs: pathToFileURL(ortWasmFactory).href,
      wasm: pathToFileURL(ortWasm).href,
    };
    // Reading the binary ourselves keeps the runtime from fetching it, and lets a test hand it
    // a broken one.
    ort.env.wasm.wasmBinary = await runtime.readFile(options.wasmBinaryPath ?? ortWasm);
    const probe = await ort.InferenceSession.create(PROBE_MODEL);
    await probe.release();
    return ort;
  } catch (error) {
    throw new RuntimeUnavailableError(`The WASM runtime could not start: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
