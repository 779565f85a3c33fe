/**
 * How well batching works, per model: how many executions (model runs), requests and rows
 * (inferences, as Triton counts them) there were, and a histogram of batch sizes in rows. Kept by
 * model name, so the figures run on across reloads. The registry shows them through
 * {@link BatchStatsSource}; Triton's statistics and Prometheus count batches per request, through
 * the execution ticket (execution-ticket.ts).
 */

/** Upper bounds of the batch-size histogram's buckets, in rows (the last bucket is open). */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256] as const;

/** One model's batching figures. */
export interface BatchStats {
  /** Model runs (each one batch). */
  executions: number;
  /** Requests answered through those runs. */
  requests: number;
  /** Rows (texts, or first-dimension entries) run: Triton's inference count. */
  inferences: number;
  /** Rows per execution. */
  avg_batch_size: number;
  /** Executions by batch size in rows: key "≤N" for each bucket bound, "more" past the last. */
  histogram: Record<string, number>;
}

/** What the registry and a metrics exporter read. */
export interface BatchStatsSource {
  /** Figures of every model that has run a batch. */
  all(): Map<string, BatchStats>;
  /** One model's figures, if it has run a batch. */
  of(model: string): BatchStats | undefined;
}

function bucketOf(rows: number): string {
  const bound = BATCH_SIZE_BUCKETS.find((limit) => rows <= limit);
  return bound === undefined ? "more" : `≤${bound}`;
}

/**
 * The batching figures of every model, built once by the composition root.
 *
 * @example
 * const stats = new BatchingStats();
 * stats.record("iris", 3, 5);
 * stats.of("iris"); // { executions: 1, requests: 3, inferences: 5, avg_batch_size: 5, histogram: { "≤8": 1 } }
 */
export class BatchingStats implements BatchStatsSource {
  private readonly models = new Map<string, BatchStats>();

  /** Counts one execution of `model` that answered `requests` requests with `rows` rows. */
  record(model: string, requests: number, rows: number): void {
    let stats = this.models.get(model);
    if (stats === undefined) {
      stats = { executions: 0, requests: 0, inferences: 0, avg_batch_size: 0, histogram: {} };
      this.models.set(model, stats);
    }
    stats.executions++;
    stats.requests += requests;
    stats.inferences += rows;
    stats.avg_batch_size = Math.round((stats.inferences / stats.executions) * 100) / 100;
    const bucket = bucketOf(rows);
    stats.histogram[bucket] = (stats.histogram[bucket] ?? 0) + 1;
  }

  /** A copy of one model's figures, if it has run a batch. */
  of(model: string): BatchStats | undefined {
    const stats = this.models.get(model);
    if (stats === undefined) return undefined;
    // Buckets in size order, whatever order they were first met in.
    const order = [...BATCH_SIZE_BUCKETS.map((bound) => `≤${bound}`), "more"];
    const histogram = Object.fromEntries(order.filter((key) => key in stats.histogram).map((key) => [key, stats.histogram[key]!]));
    return { ...stats, histogram };
  }

  all(): Map<string, BatchStats> {
    return new Map([...this.models.keys()].map((model) => [model, this.of(model)!]));
  }
}
