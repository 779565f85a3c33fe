import type { ModelSignature } from "../inference/tensor.ts";
import type { MemoryMethod, ModelMemory } from "../host/host-protocol.ts";
import { SerialQueue } from "../util/serial-queue.ts";
import { LiveInstance } from "./live-instance.ts";
import type { RegistryLatency } from "./cache-observer.ts";
import type { ModelSpec, ModelStatus, ModelType } from "./model-types.ts";

/** One model's entry in the registry, as JSON. */
export interface RegistryEntry {
  /** The model's name (for one version of a versioned model, the model's, not the version's). */
  name: string;
  /** The record's id when it is one version of a versioned model (`iris@2`). */
  id?: string;
  model_type: ModelType;
  status: ModelStatus;
  version: string;
  /** Unix seconds of the current instance's load. */
  loaded_at: number | null;
  /** Seconds the current instance took to load. */
  load_duration: number | null;
  /** Why the model is failed. */
  error?: string;
  /** A later attempt that failed while an older instance kept serving (reload, restart). */
  last_error?: string;
  last_error_at?: number;
  source: string | null;
  size_bytes: number | null;
  /** Memory the serving instance holds, counted against the memory budget; null when none serves. */
  memory_bytes: number | null;
  /** How `memory_bytes` was found. */
  memory_method?: MemoryMethod;
  required: boolean;
  preload: boolean;
  description?: string;
  /** Lookups and requests that asked for this model. */
  requests: number;
  /** …of which found it loaded. */
  hits: number;
  /** …of which did not (not loaded yet, failed, unloaded). */
  misses: number;
  /** Successful loads since start. */
  load_count: number;
  /** Failed load attempts since start. */
  failure_count: number;
  /** Times it was evicted to make room within the memory budget. */
  eviction_count: number;
  /** Requests using the model right now. */
  in_flight: number;
  /** True while a new instance loads behind the one serving. */
  reloading: boolean;
  inputs?: ModelSignature["inputs"];
  outputs?: ModelSignature["outputs"];
  unsupported_outputs?: ModelSignature["unsupportedOutputs"];
  details?: Record<string, unknown>;
  /** Latency percentiles and request rate over a sliding window (when the service measures them). */
  latency?: RegistryLatency;
}

/** What one load of one model came to, and its entry as that load left it. */
export type LoadOutcome = { ok: true; entry: RegistryEntry } | { ok: false; error: string; entry: RegistryEntry };

/** The cache's mutable state of one model. */
export class ModelRecord {
  status: ModelStatus;
  live: LiveInstance | undefined;
  loadedAt: number | undefined;
  loadDuration: number | undefined;
  error: string | undefined;
  lastError: { message: string; at: number } | undefined;
  requests = 0;
  hits = 0;
  misses = 0;
  loadCount = 0;
  failureCount = 0;
  evictionCount = 0;
  reloading = false;
  /** Memory of the serving instance (the last one's, once none serves). */
  memory: ModelMemory | undefined;
  /** When it was last handed out or loaded, on a clock shared by every record: orders evictions. */
  lastUsed = 0;
  private static useClock = 0;
  /** Load, reload and unload of this model happen one after another. */
  readonly ops = new SerialQueue();
  /** The load in progress, shared by every caller that wants the model loaded. */
  pendingLoad: Promise<LoadOutcome> | undefined;

  constructor(public spec: ModelSpec) {
    this.status = spec.preload ? "pending" : "skipped";
  }

  get name(): string {
    return this.spec.name;
  }

  /** Counts one lookup; true when a usable instance is there. */
  count(): boolean {
    this.requests++;
    const hit = this.status === "loaded" && this.live !== undefined;
    if (hit) {
      this.hits++;
      this.lastUsed = ++ModelRecord.useClock;
    }
    else this.misses++;
    return hit;
  }

  /** Installs a new instance; returns the one it replaces, to be retired. */
  install(model: unknown, loadedAt: number, durationSeconds: number): LiveInstance | undefined {
    const previous = this.live;
    this.live = new LiveInstance(model);
    this.memory = (model as { memory?: ModelMemory } | null)?.memory;
    this.lastUsed = ++ModelRecord.useClock;
    this.status = "loaded";
    this.loadedAt = loadedAt;
    this.loadDuration = durationSeconds;
    this.error = undefined;
    this.loadCount++;
    return previous;
  }

  /** Records a failed attempt that will be retried: counted and shown, the status unchanged. */
  noteFailedAttempt(message: string, at: number): void {
    this.failureCount++;
    this.lastError = { message, at };
  }

  /** Records a failed attempt: the model is failed unless an older instance keeps serving. */
  fail(message: string, at: number): void {
    this.failureCount++;
    this.lastError = { message, at };
    if (this.live === undefined) {
      this.status = "failed";
      this.error = message;
    }
  }

  /** Removes the instance; returns it, to be retired. */
  takeInstance(): LiveInstance | undefined {
    const previous = this.live;
    this.live = undefined;
    return previous;
  }

  toJSON(): RegistryEntry {
    const model = this.live?.model as { signature?: ModelSignature; details?: Record<string, unknown> } | undefined;
    const signature = model?.signature;
    const entry: RegistryEntry = {
      name: this.spec.group ?? this.spec.name,
      ...(this.spec.group !== undefined && { id: this.spec.name }),
      model_type: this.spec.modelType,
      status: this.status,
      version: this.spec.version,
      loaded_at: this.live ? round(this.loadedAt, 3) : null,
      load_duration: this.live ? round(this.loadDuration, 6) : null,
      source: this.spec.source ?? null,
      size_bytes: this.spec.sizeBytes ?? null,
      memory_bytes: this.live && this.memory ? this.memory.bytes : null,
      required: this.spec.required,
      preload: this.spec.preload,
      requests: this.requests,
      hits: this.hits,
      misses: this.misses,
      load_count: this.loadCount,
      failure_count: this.failureCount,
      eviction_count: this.evictionCount,
      in_flight: this.live?.inFlight ?? 0,
      reloading: this.reloading,
    };
    if (entry.memory_bytes !== null) entry.memory_method = this.memory!.method;
    if (this.error !== undefined) entry.error = this.error;
    if (this.lastError !== undefined && this.lastError.message !== this.error) {
      entry.last_error = this.lastError.message;
      entry.last_error_at = round(this.lastError.at, 3)!;
    }
    if (this.spec.description !== undefined) entry.description = this.spec.description;
    if (signature !== undefined) {
      entry.inputs = signature.inputs;
      entry.outputs = signature.outputs;
      entry.unsupported_outputs = signature.unsupportedOutputs;
    }
    if (model?.details !== undefined) entry.details = model.details;
    return entry;
  }
}

function round(value: number | undefined, digits: number): number | null {
  if (value === undefined) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
