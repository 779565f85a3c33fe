/**
 * What a model host runs its ONNX sessions and transformers.js pipelines on: onnxruntime-web's
 * WASM runtime (the worker hosts) or native onnxruntime-node (the child-process host,
 * src/host/native/). Both have the onnxruntime-common API, so the models are the same code.
 */
import type * as Ort from "onnxruntime-web";
import type { LoadPayload, RuntimeOptions } from "../host-protocol.ts";

/** The onnxruntime API both runtimes share. */
export type OrtModule = typeof Ort;

type Transformers = typeof import("@huggingface/transformers");

/** An execution backend as a host sees it. */
export interface OrtEngine {
  /** `wasm` (onnxruntime-web) or `native` (onnxruntime-node); shown in the registry. */
  readonly kind: "wasm" | "native";
  /** Starts the runtime once (later calls share it); rejects with RuntimeUnavailableError. */
  start(options: RuntimeOptions): Promise<OrtModule>;
  /** transformers.js, configured to run on this runtime and read local files only. */
  transformers(ort: OrtModule, options: RuntimeOptions): Promise<Transformers>;
  /** Options every session of this runtime is created with (threads, for native). */
  sessionOptions(options: RuntimeOptions): Ort.InferenceSession.SessionOptions;
  /** transformers.js `device` for this runtime. */
  readonly device: "auto" | "cpu";
  /** Input element types this runtime cannot be fed (a model taking one loads elsewhere), and why. */
  readonly refusedInputTypes?: ReadonlyMap<string, string>;
  /** Bytes of WebAssembly memory held (0 for native). */
  memoryBytes(): number;
  /** Starts importing transformers.js in the background, while the runtime starts; settles (never rejects) once done. */
  warm?(options: RuntimeOptions): Promise<void>;
  /** Called after every load (with what was loaded), unload and run: a chance to give memory back. */
  settle?(after: "load" | "unload" | "run", loaded?: LoadPayload): void;
}
