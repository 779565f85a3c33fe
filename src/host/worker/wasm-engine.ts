/** The WASM engine of the worker hosts: onnxruntime-web, shared with transformers.js. */
import { startOrt } from "./ort-runtime.ts";
import { loadTransformers } from "./transformers-runtime.ts";
import { wasmMemoryBytes } from "./wasm-memory.ts";
import type { OrtEngine } from "./ort-engine.ts";

/** onnxruntime-web in this worker (threads are set once, on the runtime's env). */
export const wasmEngine: OrtEngine = {
  kind: "wasm",
  device: "auto",
  start: startOrt,
  transformers: loadTransformers,
  sessionOptions: () => ({}),
  memoryBytes: wasmMemoryBytes,
};
