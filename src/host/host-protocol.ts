/**
 * Messages between the HTTP thread and a model host worker. Every request carries an `id`; the
 * worker answers each with exactly one {@link HostReply} of the same id.
 */
import { basename, dirname } from "node:path";
import type { HostTensor, ModelSignature } from "../inference/tensor.ts";

/** How a host's runtime is set up. */
export interface RuntimeOptions {
  /** Threads: onnxruntime-web's WASM threads, or onnxruntime-node's intra-op threads per session. */
  numThreads: number;
  /** Where transformers.js may write downloads; only used when remote models are allowed. */
  cacheDir: string;
  /** Let transformers.js fetch from the Hugging Face Hub. */
  allowRemoteModels: boolean;
  /** Import transformers.js while the runtime starts (a transformer model will be loaded). */
  preloadTransformers?: boolean;
  /** Override of the onnxruntime-web WASM binary (a path); used to prove the lexicon fallback. */
  wasmBinaryPath?: string;
}

/**
 * What a native host started with the service is told on its command line (see
 * native/native-prestart.ts): the runtime its `init` will bring, and the text classifiers the
 * service will load on it, which it starts loading at once.
 */
export interface EarlyStart {
  runtime: RuntimeOptions;
  loads: TransformerLocation[];
}

/** Load an ONNX graph (.onnx or .ort) from bytes the HTTP thread has read and checked. */
export interface OnnxLoadPayload {
  kind: "onnx";
  instanceId: string;
  /** File name, for messages only. */
  fileName: string;
  model: ArrayBuffer;
  /** External-data files, by the relative path the graph names. */
  externalData: { path: string; data: ArrayBuffer }[];
}

/** Load a Hugging Face style text classifier with transformers.js. */
export interface TransformerLoadPayload {
  kind: "transformer";
  instanceId: string;
  /** Folder that holds the model folder (transformers.js `localModelPath`). */
  modelsDir: string;
  /** The model folder's name inside `modelsDir`. */
  folder: string;
  /** Which weights file: "fp32" for onnx/model.onnx, "q8" for onnx/model_quantized.onnx, … */
  dtype: string;
}

/** A transformer load without its instance id: which model folder, and which weights. */
export type TransformerLocation = Omit<TransformerLoadPayload, "instanceId">;

/**
 * Where the transformer whose model folder is `path` loads from, with `dtype`'s weights (fp32
 * unless said): what the service's load sends, and what an early start names.
 */
export function transformerLocation(path: string, dtype: string | undefined): TransformerLocation {
  return { kind: "transformer", modelsDir: dirname(path), folder: basename(path), dtype: dtype ?? "fp32" };
}

/** Start the wink-nlp lexicon analyser. */
export interface LexiconLoadPayload {
  kind: "lexicon";
  instanceId: string;
}

/** Parse a Prophet `model_to_json` export into a forecaster. */
export interface ProphetLoadPayload {
  kind: "prophet";
  instanceId: string;
  /** The export's text (plain or double-encoded JSON). */
  text: string;
}

export type LoadPayload = OnnxLoadPayload | TransformerLoadPayload | LexiconLoadPayload | ProphetLoadPayload;

/**
 * How a model's memory was found. `weights`: the bytes of the weights (graph, external data,
 * tokenizer) handed to a runtime (onnxruntime-web or -node), which holds them for the session's
 * life; `heap-delta`: the growth of a pure-JS host's heap across the load, between two full
 * collections; `estimate`: nothing was measured, the figure is the cache's estimate from the files.
 * (A native host's resident memory is not used: loads and runs of other models in the same
 * process move it too.)
 */
export const MEMORY_METHODS = ["weights", "heap-delta", "estimate"] as const;
export type MemoryMethod = (typeof MEMORY_METHODS)[number];

/** The memory one loaded model holds, as its host measured it. */
export interface ModelMemory {
  bytes: number;
  method: MemoryMethod;
}

/** What a host reports about a model it loaded. */
export interface LoadedInfo {
  /** Inputs and outputs over the Open Inference Protocol (none for forecasters). */
  signature?: ModelSignature;
  /** Extra facts for the registry (labels, architecture, opset, …). */
  details: Record<string, unknown>;
  /** Memory the model holds in its host, measured at load (a host that measures nothing leaves it out). */
  memory?: ModelMemory;
}

/** One text's classification. */
export interface Classification {
  label: string;
  score: number;
}

export type HostRequest =
  | { id: number; op: "init"; runtime: RuntimeOptions }
  | { id: number; op: "load"; payload: LoadPayload }
  | { id: number; op: "run"; instanceId: string; inputs: Record<string, HostTensor>; outputs: string[] }
  | { id: number; op: "classify"; instanceId: string; texts: string[] }
  | { id: number; op: "forecast"; instanceId: string; body: unknown; maxPeriods: number }
  | { id: number; op: "unload"; instanceId: string }
  /** `collectGarbage`: run a full garbage collection first (memory soak tests). */
  | { id: number; op: "stats"; collectGarbage?: boolean };

/** Memory and instance counts of a host. */
export interface HostStats {
  /** Process id of the host: the service's own for a worker, the child's for the native host. */
  pid: number;
  instances: number;
  /** WebAssembly memory of the runtime (onnxruntime-web), bytes. */
  wasmMemory: number;
  heapUsed: number;
  rss: number;
}

/** An error as it crosses the thread boundary: only its name and message travel. */
export interface HostErrorInfo {
  name: string;
  message: string;
  /** True when the runtime itself may be unusable (WASM abort, out of memory). */
  fatal?: boolean;
  /** HTTP status and code of an application error (a bad forecast request, say). */
  status?: number;
  code?: string;
}

/** Every reply also carries the worker's WebAssembly memory in bytes (it never shrinks). */
export type HostReply =
  | { id: number; ok: true; result: unknown; wasmMemory?: number }
  | { id: number; ok: false; error: HostErrorInfo; wasmMemory?: number };

/** How often an idle worker proves it is alive. */
export const HEARTBEAT_MS = 100;

/**
 * What a worker sends unasked: a heartbeat, a last word from its `error` and
 * `unhandledrejection` handlers before the runtime ends it, and, from a host started early with
 * loads to begin (see native/native-prestart.ts), word that its runtime and transformers.js are
 * imported and those loads are under way.
 */
export type HostSignal = { signal: "heartbeat" } | { signal: "goodbye"; reason: string } | { signal: "warm" };

/** Anything a worker posts. */
export type HostMessage = HostReply | HostSignal;
