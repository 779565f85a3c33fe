/**
 * Chooses the batches of one model, one after another: {@link takeBatch} around the request that
 * has waited longest, with each run sized to about `maxRunMs` by what the model's past runs cost
 * ({@link RunCost}), and as much padding allowed as costs less than a run of its own. The
 * batching queue plans with it, and so do the benchmark's in-process limit and its policy
 * replay, so that they batch exactly as the service does.
 *
 * When the waiting requests do not all fit one run, a newer request may join the oldest one's
 * run only if it arrived within 3/4 of the recent mean wait after it ({@link FILL_WINDOW}).
 * Otherwise short texts that have only just arrived fill run after run, while a text of rarer
 * length waits until it is the oldest of all: the tail is made of such texts. Replayed on three
 * cost tables of the DistilBERT-sized model measured on this machine (`bun run
 * bench:batch-policy`), at 32 connections the window cut the p99 by 3–5 % for under 1 % of
 * throughput; at 8 connections by 4–6 %, for 2–4 %. Half the mean wait cut more of the tail
 * (4–9 %) but cost up to 3.5 % of throughput at 32 connections.
 *
 * @example
 * const planner = new BatchPlanner({ maxBatch: 256, maxRunMs: 100, lengthOf: (text: string) => estimatedTokens(text) });
 * const batch = planner.next(waiting);
 * // … run it …
 * planner.ran(batch, elapsedMs);
 */
import { takeBatch, type BatchChoice } from "./length-buckets.ts";
import { RunCost } from "./run-cost.ts";

/**
 * How a planner chooses: {@link BatchChoice} without the limits it learns, the time a run may take
 * (none when undefined), and when each request arrived (no fill window without it).
 */
export type PlanChoice<T> = Omit<BatchChoice<T>, "maxPaddedSize" | "paddingSlack"> & {
  maxRunMs?: number;
  /** When `item` arrived, on the clock of `now`. */
  arrivedAt?: (item: T) => number;
  /** The clock, ms (default `performance.now`); the policy replay brings its own. */
  now?: () => number;
};

/** A newer request may join the oldest one's run if it arrived within this share of the mean wait after it. */
export const FILL_WINDOW = 0.75;
/** How much each request's wait moves the mean wait (about the last 50 requests count). */
const WAIT_WEIGHT = 0.02;

export class BatchPlanner<T> {
  private readonly cost = new RunCost();
  private readonly choice: Omit<BatchChoice<T>, "maxPaddedSize" | "paddingSlack">;
  private readonly maxRunMs: number | undefined;
  private readonly arrivedAt: ((item: T) => number) | undefined;
  private readonly now: () => number;
  /** Mean time from a request's arrival to the end of its run, ms (0 before any). */
  private meanWaitMs = 0;

  constructor({ maxRunMs, arrivedAt, now, ...choice }: PlanChoice<T>) {
    this.choice = choice;
    this.maxRunMs = maxRunMs;
    this.arrivedAt = arrivedAt;
    this.now = now ?? (() => performance.now());
  }

  /** The batch to run next from `waiting` (oldest first); the caller removes it from the queue. */
  next(waiting: readonly T[]): T[] {
    const maxPaddedSize = this.cost.maxPaddedSize(this.maxRunMs);
    const choice = { ...this.choice, paddingSlack: this.cost.paddingSlack(), ...(maxPaddedSize !== undefined && { maxPaddedSize }) };
    const batch = takeBatch(waiting, choice);
    const arrivedAt = this.arrivedAt;
    // Everyone fits: nobody is overtaken.
    if (arrivedAt === undefined || this.meanWaitMs === 0 || batch.length === waiting.length) return batch;
    const latest = arrivedAt(waiting[0]!) + FILL_WINDOW * this.meanWaitMs;
    const within = waiting.filter((item) => arrivedAt(item) <= latest);
    return within.length === waiting.length ? batch : takeBatch(within, choice);
  }

  /** Records what running `batch` took, which sizes the batches after it; call it when the run has ended. */
  ran(batch: readonly T[], ms: number): void {
    if (this.arrivedAt !== undefined) {
      const now = this.now();
      for (const item of batch) {
        const wait = now - this.arrivedAt(item);
        this.meanWaitMs = this.meanWaitMs === 0 ? wait : this.meanWaitMs + (wait - this.meanWaitMs) * WAIT_WEIGHT;
      }
    }
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
