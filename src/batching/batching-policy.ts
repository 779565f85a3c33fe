/**
 * Which models batch, and how: every ONNX graph with a batch dimension and every text classifier,
 * with `MAX_BATCH` rows at most, `BATCH_MAX_DELAY_MS` (or the manifest's
 * `batch_max_delay_ms`) of waiting and, for texts, `BATCH_MAX_TOKENS` (or `batch_max_tokens`)
 * padded tokens at most; a manifest entry with `batching: false` opts a model out.
 */
import type { ModelSpec } from "../cache/model-types.ts";
import type { BatchingStats } from "./batch-stats.ts";
import type { BatchSettings } from "./model-batchers.ts";

/** Service-wide batching settings. */
export interface BatchingOptions {
  maxBatch: number;
  maxDelayMs: number;
  /** `BATCH_MAX_TOKENS`: most padded tokens in one run of a text classifier (0: no limit). */
  maxTokens: number;
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
  settingsFor(spec: Pick<ModelSpec, "name" | "batching" | "batchMaxDelayMs" | "batchMaxTokens">): BatchSettings | undefined {
    if (spec.batching === false) return undefined;
    const { maxBatch, maxDelayMs, maxTokens, stats, isRuntimeFailure } = this.options;
    const tokens = spec.batchMaxTokens ?? maxTokens;
    return { model: spec.name, maxBatch, maxDelayMs: spec.batchMaxDelayMs ?? maxDelayMs, ...(tokens > 0 && { maxTokens: tokens }), stats, isRuntimeFailure };
  }
}
