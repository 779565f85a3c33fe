/**
 * Chooses the batches of one model, one after another: {@link takeBatch} around the request that
 * has waited longest, with each run sized to about `maxRunMs` by what the model's past runs cost
 * ({@link RunCost}), and as much padding allowed as costs less than a run of its own. The
 * batching queue plans with it, and so do the benchmark's in-process limit and its policy
 * replay, so that they batch exactly as the service does.
 *
 * @example
 * const planner = new BatchPlanner({ maxBatch: 256, maxRunMs: 100, lengthOf: (text: string) => estimatedTokens(text) });
 * const batch = planner.next(waiting);
 * // … run it …
 * planner.ran(batch, elapsedMs);
 */
import { takeBatch, type BatchChoice } from "./length-buckets.ts";
import { RunCost } from "./run-cost.ts";

/** How a planner chooses: {@link BatchChoice} without the limits it learns, and the time a run may take (none when undefined). */
export type PlanChoice<T> = Omit<BatchChoice<T>, "maxPaddedSize" | "paddingSlack"> & { maxRunMs?: number };

export class BatchPlanner<T> {
  private readonly cost = new RunCost();
  private readonly choice: PlanChoice<T>;
  private readonly maxRunMs: number | undefined;

  constructor({ maxRunMs, ...choice }: PlanChoice<T>) {
    this.choice = choice;
    this.maxRunMs = maxRunMs;
  }

  /** The batch to run next from `waiting` (oldest first); the caller removes it from the queue. */
  next(waiting: readonly T[]): T[] {
    const maxPaddedSize = this.cost.maxPaddedSize(this.maxRunMs);
    const paddingSlack = this.cost.paddingSlack();
    return takeBatch(waiting, { ...this.choice, paddingSlack, ...(maxPaddedSize !== undefined && { maxPaddedSize }) });
  }

  /** Records what running `batch` took, which sizes the batches after it. */
  ran(batch: readonly T[], ms: number): void {
    const rowsOf = this.choice.rowsOf ?? (() => 1);
    let rows = 0;
    let longest = 1;
    for (const item of batch) {
      rows += rowsOf(item);
      longest = Math.max(longest, this.choice.lengthOf(item));
    }
    this.cost.record(rows * longest, ms);
  }
}
