/**
 * Per model and version, the numbers of Triton's statistics extension and the registry's latency
 * window, fed by the inference and cache observers. One store answers both, so they always agree.
 */
import type { CacheObserver } from "../cache/cache-observer.ts";
import type { ComputeNs, InferenceObserver, RequestReport } from "./inference-observer.ts";
import { LatencyWindow, type LatencySummary, type LatencyWindowOptions } from "./latency-window.ts";

/** A count and the nanoseconds they took in all (Triton's `{count, ns}`). */
export interface StatDuration {
  count: number;
  ns: number;
}

/** Triton's `inference_stats`. */
export interface InferenceStats {
  success: StatDuration;
  fail: StatDuration;
  queue: StatDuration;
  compute_input: StatDuration;
  compute_infer: StatDuration;
  compute_output: StatDuration;
  /** Lookups that found the model loaded (Triton: response cache; here: the model cache). */
  cache_hit: StatDuration;
  /** Lookups that did not; `ns` is the time spent waiting for a first-use load. */
  cache_miss: StatDuration;
}

/** Triton's per-batch-size execution statistics. */
export interface BatchStats {
  batch_size: number;
  compute_input: StatDuration;
  compute_infer: StatDuration;
  compute_output: StatDuration;
}

/** One entry of Triton's `model_stats`. */
export interface ModelStatistics {
  name: string;
  version: string;
  /** Unix milliseconds of the last request answered; 0 before the first. */
  last_inference: number;
  /** Inferences made (a request of a batch of 8 counts 8). */
  inference_count: number;
  /** Model executions (a batch counts once). */
  execution_count: number;
  inference_stats: InferenceStats;
  batch_stats: BatchStats[];
}

const zero = (): StatDuration => ({ count: 0, ns: 0 });
const add = (stat: StatDuration, ns: number) => {
  stat.count++;
  stat.ns += Math.round(ns);
};

const emptyStats = (): InferenceStats => ({
  success: zero(),
  fail: zero(),
  queue: zero(),
  compute_input: zero(),
  compute_infer: zero(),
  compute_output: zero(),
  cache_hit: zero(),
  cache_miss: zero(),
});

class Entry {
  lastInference = 0;
  inferenceCount = 0;
  executionCount = 0;
  readonly stats = emptyStats();
  readonly batches = new Map<number, BatchStats>();
  readonly latency: LatencyWindow;

  constructor(window: LatencyWindowOptions) {
    this.latency = new LatencyWindow(window);
  }
}

/**
 * The statistics store. Counts only events of models the service knows (the observers are called
 * after the name is resolved), so its size is bounded by the models folder.
 *
 * @example
 * const statistics = new ModelStatisticsStore();
 * new ModelCache({ …, observer: statistics });
 * statistics.get("iris", "1.0.0").inference_stats.success.count;
 */
export class ModelStatisticsStore implements InferenceObserver, CacheObserver {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly window: LatencyWindowOptions = {},
    private readonly nowMs: () => number = Date.now,
  ) {}

  requestStarted(): void {}

  requestFinished(report: RequestReport): void {
    const entry = this.entry(report.model, report.version);
    entry.lastInference = this.nowMs();
    entry.latency.record(report.totalNs / 1e6, report.outcome === "success");
    if (report.outcome === "failure") {
      add(entry.stats.fail, report.totalNs);
      return;
    }
    add(entry.stats.success, report.totalNs);
    add(entry.stats.queue, report.queueNs);
    add(entry.stats.compute_input, report.inputNs);
    add(entry.stats.compute_infer, report.inferNs);
    add(entry.stats.compute_output, report.outputNs);
  }

  executions(model: string, version: string, batchSize: number, compute: ComputeNs): void {
    const entry = this.entry(model, version);
    entry.executionCount++;
    entry.inferenceCount += batchSize;
    let batch = entry.batches.get(batchSize);
    if (batch === undefined) {
      batch = { batch_size: batchSize, compute_input: zero(), compute_infer: zero(), compute_output: zero() };
      entry.batches.set(batchSize, batch);
    }
    add(batch.compute_input, compute.inputNs);
    add(batch.compute_infer, compute.inferNs);
    add(batch.compute_output, compute.outputNs);
  }

  lookup(model: string, version: string, hit: boolean, waitNs: number): void {
    const entry = this.entry(model, version);
    add(hit ? entry.stats.cache_hit : entry.stats.cache_miss, waitNs);
  }

  loadFinished(): void {}

  /** Triton's statistics of one model version (zeros when it was never used). */
  get(model: string, version: string): ModelStatistics {
    const entry = this.entries.get(key(model, version));
    if (entry === undefined) {
      return { name: model, version, last_inference: 0, inference_count: 0, execution_count: 0, inference_stats: emptyStats(), batch_stats: [] };
    }
    return {
      name: model,
      version,
      last_inference: entry.lastInference,
      inference_count: entry.inferenceCount,
      execution_count: entry.executionCount,
      inference_stats: structuredClone(entry.stats),
      batch_stats: [...entry.batches.values()].sort((a, b) => a.batch_size - b.batch_size).map((batch) => structuredClone(batch)),
    };
  }

  /** The latency window of one model version. */
  latency(model: string, version: string): LatencySummary {
    const window = this.entries.get(key(model, version))?.latency;
    if (window !== undefined) return window.summary();
    const seconds = this.window.windowSeconds ?? 60;
    return { window_seconds: seconds, samples: 0, p50_ms: null, p95_ms: null, p99_ms: null, requests_per_second: 0 };
  }

  private entry(model: string, version: string): Entry {
    const k = key(model, version);
    let entry = this.entries.get(k);
    if (entry === undefined) {
      entry = new Entry(this.window);
      this.entries.set(k, entry);
    }
    return entry;
  }
}

const key = (model: string, version: string) => `${model}\u0000${version}`;
