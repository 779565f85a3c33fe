/** The WASM engine of the worker hosts: onnxruntime-web, shared with transformers.js. */
import { startOrt } from "./ort-runtime.ts";
import { loadTransformers } from "./transformers-runtime.ts";
import { wasmMemoryBytes } from "./wasm-memory.ts";
import type { OrtEngine } from "./ort-engine.ts";
import type { LoadPayload } from "../host-protocol.ts";
import { runtime } from "#runtime";

/**
 * Once a session holds its copy of the weights, the bytes it was made from are garbage in this
 * worker's JS heap: collect them as soon as the load is answered, rather than whenever the heap
 * decides. Under the budget bench (a load every ~0.1 s) this took the service's peak resident
 * memory from 1.9 GiB to 1.1 GiB.
 */
function settle(after: "load" | "unload" | "run", loaded?: LoadPayload): void {
  if (after === "load" && (loaded?.kind === "onnx" || loaded?.kind === "transformer")) runtime.gc();
}

/** onnxruntime-web in this worker (threads are set once, on the runtime's env). */
export const wasmEngine: OrtEngine = {
  kind: "wasm",
  device: "auto",
  start: startOrt,
  transformers: loadTransformers,
  sessionOptions: () => ({}),
  memoryBytes: wasmMemoryBytes,
  settle,
};
