/**
 * Dynamic batching for one model instance, as Triton's `dynamic_batching` and Ray Serve's
 * `@serve.batch` do it. A request that finds the model idle runs at once (or, with
 * `maxDelayMs`, waits that long for company); requests that arrive while it runs wait, and the
 * next run is built as soon as the model is free: around the request that has waited longest,
 * with the waiting requests of the same key (only alike requests can share a run) and similar
 * length (padding must not eat the gain), at most `maxBatch` rows. One run at a time, so that
 * no request waits behind more than the run in progress and its own. A run that fails is tried
 * again request by request, so that a bad request fails alone — unless the runtime itself
 * failed, which every request of the run shares.
 */
import { currentExecutionTicket, type ExecutionTicket } from "./execution-ticket.ts";
import { BatchPlanner } from "./batch-planner.ts";
import type { BatchingStats } from "./batch-stats.ts";

/** How a request takes part in a batch. */
export interface BatchShape {
  /** Rows it brings (texts, or entries of the first dimension). */
  rows: number;
  /** Requests with different keys never share a run. */
  key: string;
  /** Its length, for grouping by length (1 when all are alike). */
  length: number;
}

/** How one model's requests are batched. */
export interface BatchQueueOptions<T, R> {
  /** Model name, for the statistics. */
  model: string;
  /** Most rows in one run. */
  maxBatch: number;
  /** How long a request that finds the model idle waits for others (0: not at all). */
  maxDelayMs: number;
  /** How long one run may take (runs are sized by what past runs cost, see BatchPlanner); none when undefined. */
  maxRunMs?: number;
  stats: BatchingStats;
  shape(item: T): BatchShape;
  /** Runs requests as one batch; one result per request, in order. */
  execute(items: T[]): Promise<R[]>;
  /** True for a failure of the runtime itself (a crashed host): it is not retried request by request. */
  isRuntimeFailure(error: unknown): boolean;
}

interface Entry<T, R> extends BatchShape {
  item: T;
  /** When it was submitted (`performance.now()`). */
  at: number;
  /** The submitting request's ticket: told whether it led its batch. */
  ticket: ExecutionTicket | undefined;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * A batching queue in front of one model instance.
 *
 * @example
 * const queue = new BatchQueue({ model: "sst2", maxBatch: 32, maxDelayMs: 0, stats, shape, execute, isRuntimeFailure });
 * const [answer] = await queue.submit(["a fine film"]);
 */
export class BatchQueue<T, R> {
  private waiting: Entry<T, R>[] = [];
  private waitingRows = 0;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly planner: BatchPlanner<Entry<T, R>>;

  constructor(private readonly options: BatchQueueOptions<T, R>) {
    this.planner = new BatchPlanner<Entry<T, R>>({
      maxBatch: options.maxBatch,
      ...(options.maxRunMs !== undefined && { maxRunMs: options.maxRunMs }),
      lengthOf: (entry) => entry.length,
      rowsOf: (entry) => entry.rows,
      arrivedAt: (entry) => entry.at,
    });
  }

  /** Runs `item` in the next batch it fits, and answers with its own result. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const shape = this.options.shape(item);
      this.waiting.push({ ...shape, item, at: performance.now(), ticket: currentExecutionTicket(), resolve, reject });
      this.waitingRows += shape.rows;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.waiting.length === 0) return;
    const { maxDelayMs, maxBatch } = this.options;
    if (maxDelayMs > 0 && this.waitingRows < maxBatch) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.dispatch();
      }, maxDelayMs);
      return;
    }
    this.dispatch();
  }

  /** Starts the next run, built around the request that has waited longest. */
  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const oldest = this.waiting[0];
    if (oldest === undefined) return;
    const batch = this.planner.next(this.waiting.filter((entry) => entry.key === oldest.key));
    const taken = new Set(batch);
    this.waiting = this.waiting.filter((entry) => !taken.has(entry));
    this.waitingRows -= batch.reduce((rows, entry) => rows + entry.rows, 0);
    this.busy = true;
    void this.run(batch).then(() => {
      this.busy = false;
      this.schedule();
    });
  }

  private async run(batch: Entry<T, R>[]): Promise<void> {
    let results: R[];
    const started = performance.now();
    try {
      results = await this.options.execute(batch.map((entry) => entry.item));
    } catch (error) {
      if (batch.length === 1 || this.options.isRuntimeFailure(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      // One request's rows may be what failed: run each alone, so that only it fails.
      await Promise.all(batch.map((entry) => this.run([entry])));
      return;
    }
    const rows = batch.reduce((sum, entry) => sum + entry.rows, 0);
    this.planner.ran(batch, performance.now() - started);
    this.options.stats.record(this.options.model, batch.length, rows);
    for (const [index, entry] of batch.entries()) {
      if (entry.ticket !== undefined) entry.ticket.shared = { leader: index === 0, rows };
      entry.resolve(results[index]!);
    }
  }
}
