/**
 * Which models batch, and how: every ONNX graph with a batch dimension and every text classifier,
 * with `MAX_BATCH` rows at most, `BATCH_MAX_DELAY_MS` (or the manifest's
 * `batch_max_delay_ms`) of waiting, and runs sized to last about `BATCH_MAX_RUN_MS` (or
 * `batch_max_run_ms`) at most; a manifest entry with `batching: false` opts a model out.
 */
import type { ModelSpec } from "../cache/model-types.ts";
import type { BatchingStats } from "./batch-stats.ts";
import type { BatchSettings } from "./model-batchers.ts";

/** Service-wide batching settings. */
export interface BatchingOptions {
  maxBatch: number;
  maxDelayMs: number;
  /** `BATCH_MAX_RUN_MS`: how long one batched run may take (0: no limit). */
  maxRunMs: number;
  stats: BatchingStats;
  isRuntimeFailure(error: unknown): boolean;
}

/** Hands each model its batch settings; built once by the composition root. */
export class BatchingPolicy {
  constructor(private readonly options: BatchingOptions) {}

  get stats(): BatchingStats {
    return this.options.stats;
  }

  /** The settings of one model, or undefined when it does not batch. */
  settingsFor(spec: Pick<ModelSpec, "name" | "batching" | "batchMaxDelayMs" | "batchMaxRunMs">): BatchSettings | undefined {
    if (spec.batching === false) return undefined;
    const { maxBatch, maxDelayMs, maxRunMs, stats, isRuntimeFailure } = this.options;
    const runMs = spec.batchMaxRunMs ?? maxRunMs;
    return { model: spec.name, maxBatch, maxDelayMs: spec.batchMaxDelayMs ?? maxDelayMs, ...(runMs > 0 && { maxRunMs: runMs }), stats, isRuntimeFailure };
  }
}
