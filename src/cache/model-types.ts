import type { Classification, ModelMemory } from "../host/host-protocol.ts";
import type { HostTensor, ModelSignature } from "../inference/tensor.ts";
import type { ForecastPoint } from "../prophet/index.ts";

/** Kinds of model the service knows how to load. `custom` models are set through the API. */
export const MODEL_TYPES = ["onnx", "transformer", "prophet", "lexicon", "custom"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/**
 * Where a model is in its life. `evicted`: unloaded to make room within the memory budget; it
 * loads again on its next request.
 */
export const MODEL_STATUSES = ["pending", "loading", "loaded", "failed", "skipped", "unloaded", "evicted"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** A model found in the models folder (or declared in the manifest), before it is loaded. */
export interface ModelSpec {
  /** The record's id: the model's name, or `name@version` for one version of a versioned model. */
  name: string;
  modelType: ModelType;
  version: string;
  /** The model this record is a version of, when it is one of several (`iris` for `iris@2`). */
  group?: string;
  /** Readiness waits for required models. */
  required: boolean;
  /** Loaded at start (else registered as `skipped` and loaded on first use). */
  preload: boolean;
  /**
   * Preloaded only once every other preload has finished (the lexicon, a fallback: it must not
   * slow the first large load). A request that needs it before then loads it at once.
   */
  preloadLast?: boolean;
  /** Path relative to the models folder (never absolute in anything a client sees). */
  source?: string;
  /** Absolute path of the file or folder. */
  path?: string;
  /** Bytes on disk (a folder: the sum of its files). */
  sizeBytes?: number;
  description?: string;
  /** transformers.js dtype of the chosen weights file (transformer models). */
  dtype?: string;
  /** False when the manifest turns dynamic batching off for it. */
  batching?: boolean;
  /** How long a request waits for others to batch with (manifest `batch_max_delay_ms`). */
  batchMaxDelayMs?: number;
  /** How long one batched run may take (manifest `batch_max_run_ms`). */
  batchMaxRunMs?: number;
  /** Replicas that hold it in cluster mode (manifest `copies`); `undefined`: every replica. */
  copies?: number;
  /** A problem found while discovering it; loading fails with this message. */
  problem?: string;
}

/**
 * The name a record is reported under (metrics, statistics, answers): its model's name, which for
 * one version of a versioned model is not the record's id (`iris` for `iris@2`).
 */
export function modelNameOf(spec: Pick<ModelSpec, "name" | "group">): string {
  return spec.group ?? spec.name;
}

/**
 * A loaded model as the service uses it. Every capability is optional: a text classifier
 * classifies, an ONNX graph runs tensors, a forecaster forecasts.
 */
export interface ModelInstance {
  /** Inputs and outputs over the Open Inference Protocol, when it takes tensors. */
  readonly signature?: ModelSignature;
  /** Extra facts shown in the registry. */
  readonly details?: Record<string, unknown>;
  /** Memory it holds, as its host measured it at load (counted against the memory budget). */
  readonly memory?: ModelMemory;
  /** Runs named input tensors and returns the requested outputs. */
  infer?(inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>>;
  /** Classifies texts. */
  classify?(texts: string[]): Promise<Classification[]>;
  /** Forecasts from an HTTP forecast body (Prophet models). */
  forecast?(body: unknown, maxPeriods: number): Promise<ForecastPoint[]>;
  /** Releases sessions, workers and memory. */
  dispose(): Promise<void>;
}

/** Loads one kind of model from its spec. */
export interface ModelBackend {
  readonly modelType: ModelType;
  load(spec: ModelSpec): Promise<ModelInstance>;
}
