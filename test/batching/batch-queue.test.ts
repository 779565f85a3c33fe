/**
 * The batching queue on its own: who runs with whom, who gets which answer, and what a failure
 * does to the others. The "model" here doubles numbers and remembers every batch it was given.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "bun:test";
import { BatchQueue, type BatchQueueOptions } from "../../src/batching/batch-queue.ts";
import { BatchingStats } from "../../src/batching/batch-stats.ts";
import { BatchPlanner, FILL_WINDOW } from "../../src/batching/batch-planner.ts";
import { takeBatch } from "../../src/batching/length-buckets.ts";
import { RunCost } from "../../src/batching/run-cost.ts";

class RuntimeDown extends Error {}

/** A queue over a doubling model that holds each run until `release()` and fails on "bad" items. */
function doublingQueue(overrides: Partial<BatchQueueOptions<number[], number[]>> = {}) {
  const runs: number[][][] = [];
  let gates: (() => void)[] = [];
  const stats = new BatchingStats();
  const queue = new BatchQueue<number[], number[]>({
    model: "doubler",
    maxBatch: 8,
    maxDelayMs: 0,
    stats,
    shape: (item) => ({ rows: item.length, key: item.some((value) => value < 0) ? "negative" : "positive", length: 1 }),
    execute: async (items) => {
      runs.push(items);
      await new Promise<void>((resolve) => gates.push(resolve));
      if (items.flat().includes(13)) throw new Error("13 is bad luck");
      if (items.flat().includes(666)) throw new RuntimeDown("the runtime died");
      return items.map((item) => item.map((value) => value * 2));
    },
    isRuntimeFailure: (error) => error instanceof RuntimeDown,
    ...overrides,
  });
  const release = async () => {
    // Let queued work reach the model, then let every held run finish.
    for (let round = 0; round < 20; round++) {
      await sleep(1);
      const open = gates;
      gates = [];
      for (const gate of open) gate();
    }
  };
  return { queue, runs, stats, release };
}

describe("who runs with whom", () => {
  test("a request that finds the model idle runs at once, alone", async () => {
    const { queue, runs, release } = doublingQueue();
    const answer = queue.submit([1, 2]);
    expect(runs).toEqual([[[1, 2]]]);
    await release();
    expect(await answer).toEqual([2, 4]);
  });

  test("requests that arrive while it runs share the next run, each getting its own rows", async () => {
    const { queue, runs, stats, release } = doublingQueue();
    const first = queue.submit([1]);
    const rest = [queue.submit([2, 3]), queue.submit([4]), queue.submit([5, 6, 7])];
    expect(runs).toHaveLength(1);
    await release();
    expect(await first).toEqual([2]);
    expect(await Promise.all(rest)).toEqual([[4, 6], [8], [10, 12, 14]]);
    expect(runs[1]).toEqual([[2, 3], [4], [5, 6, 7]]);
    expect(stats.of("doubler")).toEqual({ executions: 2, requests: 4, inferences: 7, avg_batch_size: 3.5, histogram: { "≤1": 1, "≤8": 1 } });
  });

  test("no run holds more than maxBatch rows", async () => {
    const { queue, runs, release } = doublingQueue();
    const all = [queue.submit([0]), ...Array.from({ length: 10 }, (_, i) => queue.submit([i, i]))];
    await release();
    await Promise.all(all);
    for (const run of runs) expect(run.flat().length).toBeLessThanOrEqual(8);
    expect(runs.slice(1).flat()).toHaveLength(10);
  });

  test("requests with different keys never share a run", async () => {
    const { queue, runs, release } = doublingQueue();
    const all = [queue.submit([1]), queue.submit([2]), queue.submit([-3]), queue.submit([4]), queue.submit([-5])];
    await release();
    expect(await Promise.all(all)).toEqual([[2], [4], [-6], [8], [-10]]);
    for (const run of runs) expect(new Set(run.flat().map(Math.sign)).size).toBe(1);
  });

  test("with maxDelayMs, the first request waits for company", async () => {
    const { queue, runs, release } = doublingQueue({ maxDelayMs: 30 });
    const all = [queue.submit([1]), queue.submit([2])];
    expect(runs).toHaveLength(0);
    for (const deadline = Date.now() + 10_000; runs.length === 0 && Date.now() < deadline; ) await sleep(5);
    expect(runs).toEqual([[[1], [2]]]);
    await release();
    expect(await Promise.all(all)).toEqual([[2], [4]]);
  });

  test("with maxDelayMs, a full batch does not wait", async () => {
    const { queue, runs, release } = doublingQueue({ maxDelayMs: 60_000 });
    const all = [queue.submit([1, 2, 3, 4]), queue.submit([5, 6, 7, 8])];
    expect(runs).toEqual([[[1, 2, 3, 4], [5, 6, 7, 8]]]);
    await release();
    expect(await Promise.all(all)).toEqual([[2, 4, 6, 8], [10, 12, 14, 16]]);
  });
});

describe("failures", () => {
  test("a bad request fails alone: its run is tried again request by request", async () => {
    const { queue, runs, release } = doublingQueue();
    const first = queue.submit([1]);
    const mixed = Promise.allSettled([queue.submit([2]), queue.submit([13]), queue.submit([4])]);
    await release();
    await first;
    const settled = await mixed;
    expect(settled.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[0] as PromiseFulfilledResult<number[]>).value).toEqual([4]);
    expect((settled[2] as PromiseFulfilledResult<number[]>).value).toEqual([8]);
    expect(((settled[1] as PromiseRejectedResult).reason as Error).message).toBe("13 is bad luck");
    expect(runs.slice(1)).toEqual([[[2], [13], [4]], [[2]], [[13]], [[4]]]);
  });

  test("a runtime failure fails every request of the run, without retries", async () => {
    const { queue, runs, release } = doublingQueue();
    const first = queue.submit([1]);
    const doomed = Promise.allSettled([queue.submit([2]), queue.submit([666])]);
    await release();
    await first;
    const settled = await doomed;
    expect(settled.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(runs).toHaveLength(2);
  });

  test("the queue keeps serving after failures", async () => {
    const { queue, release } = doublingQueue();
    const bad = queue.submit([13]).catch((error: Error) => error.message);
    await release();
    expect(await bad).toBe("13 is bad luck");
    const good = queue.submit([21]);
    await release();
    expect(await good).toEqual([42]);
  });
});

describe("runs sized by what they cost (maxRunMs)", () => {
  /** A model that takes at least 20 ms per row: a busy machine only makes it slower. */
  function slowQueue(maxRunMs: number | undefined) {
    const sizes: number[] = [];
    const queue = new BatchQueue<number, number>({
      model: "slow",
      maxBatch: 256,
      maxDelayMs: 0,
      ...(maxRunMs !== undefined && { maxRunMs }),
      stats: new BatchingStats(),
      shape: () => ({ rows: 1, key: "k", length: 1 }),
      execute: async (items) => {
        sizes.push(items.length);
        await sleep(20 * items.length);
        return items;
      },
      isRuntimeFailure: () => false,
    });
    return { queue, sizes };
  }

  test("with maxRunMs 100, no run after the first holds more than 5 rows of 20 ms; every request is answered", async () => {
    const { queue, sizes } = slowQueue(100);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => queue.submit(index)));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(sizes[0]).toBe(1);
    expect(Math.max(...sizes.slice(1))).toBeLessThanOrEqual(5);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20);
  });

  test("without it, the second run takes every request that waited", async () => {
    const { queue, sizes } = slowQueue(undefined);
    await Promise.all(Array.from({ length: 20 }, (_, index) => queue.submit(index)));
    expect(sizes).toEqual([1, 19]);
  });

  test("RunCost: the padded size that fits the time, from the runs seen; no limit before any", () => {
    const cost = new RunCost();
    expect(cost.maxPaddedSize(100)).toBeUndefined();
    cost.record(96, 75);
    expect(cost.maxPaddedSize(100)).toBe(128);
    expect(cost.maxPaddedSize(undefined)).toBeUndefined();
    cost.record(96, 150);
    expect(cost.maxPaddedSize(100)).toBeLessThan(128);
    cost.record(0, 10);
    cost.record(10, Number.NaN);
    expect(cost.maxPaddedSize(1)).toBeGreaterThanOrEqual(1);
  });

  test("RunCost tells a run's fixed part from its part per padded unit once run sizes differ", () => {
    const cost = new RunCost();
    expect(cost.paddingSlack()).toBe(0);
    // A tiny model: 0.5 ms per run whatever its size, 0.001 ms per padded token.
    for (const size of [20, 400, 60, 900, 150, 30, 1200]) cost.record(size, 0.5 + 0.001 * size);
    expect(cost.paddingSlack()).toBeCloseTo(500, 0);
    expect(cost.maxPaddedSize(100)).toBe(99_500);
    // A large model: 2 ms per run, 0.75 ms per token: padding is worth a few tokens at most.
    const large = new RunCost();
    for (const size of [16, 128, 48, 96, 32, 120]) large.record(size, 2 + 0.75 * size);
    expect(large.paddingSlack()).toBeCloseTo(2.67, 1);
    expect(large.maxPaddedSize(100)).toBe(130);
  });
});

describe("BatchPlanner's fill window", () => {
  interface Text {
    name: string;
    tokens: number;
    at: number;
  }
  /** A planner on a clock of its own that has seen runs cost 1 ms per padded token, and requests wait 200 ms. */
  function plannerWithHistory(withArrivals = true) {
    const clock = { now: 1000 };
    const planner = new BatchPlanner<Text>({
      maxBatch: 256,
      maxRunMs: 100,
      lengthOf: (text) => text.tokens,
      ...(withArrivals && { arrivedAt: (text: Text) => text.at, now: () => clock.now }),
    });
    planner.ran([25, 25, 25, 25].map((tokens) => ({ name: "past", tokens, at: 800 })), 100);
    planner.ran([{ name: "past", tokens: 20, at: 800 }], 20);
    return planner;
  }
  const text = (name: string, tokens: number, at: number): Text => ({ name, tokens, at });
  // Runs of at most 100 padded tokens: three texts of 30.
  const waiting = [text("oldest", 30, 2000), text("soon after", 30, 2000 + 0.4 * 200), text("later", 30, 2000 + 0.8 * 200), text("latest", 30, 2200)];

  test(`when not all fit one run, a newer text joins the oldest's only if it came within ${FILL_WINDOW} of the mean wait after it`, () => {
    expect(plannerWithHistory().next(waiting).map((t) => t.name)).toEqual(["oldest", "soon after"]);
  });

  test("without arrival times, or when all fit, the run is filled as far as its limits allow", () => {
    expect(plannerWithHistory(false).next(waiting).map((t) => t.name)).toEqual(["oldest", "soon after", "later"]);
    expect(plannerWithHistory().next(waiting.slice(0, 3)).map((t) => t.name)).toEqual(["oldest", "soon after", "later"]);
  });
});

describe("takeBatch", () => {
  const lengthOf = (text: string) => text.length;

  test("the batch is built around the request that waited longest, filled oldest first within the padding ratio", () => {
    const waiting = ["x".repeat(20), "a", "y".repeat(22), "bb", "z".repeat(19)];
    expect(takeBatch(waiting, { maxBatch: 8, lengthOf })).toEqual([waiting[0]!, waiting[2]!, waiting[4]!]);
    // Oldest first, not nearest first: the older 22 goes in before the nearer 19 when only one fits.
    expect(takeBatch(waiting, { maxBatch: 2, lengthOf })).toEqual([waiting[0]!, waiting[2]!]);
  });

  test("a text of unusual length is not overtaken by newer texts of the common length", () => {
    // Closed loop: whatever runs is replaced by a newcomer of the common length. Filled nearest
    // length first, the 12-token text would wait until it was the oldest of all; filled oldest
    // first, it goes with the first batch that has room for it.
    let next = 0;
    const text = (length: number) => ({ id: next++, length });
    let waiting = [...Array.from({ length: 4 }, () => text(10)), text(12), ...Array.from({ length: 4 }, () => text(10))];
    const unusual = waiting[4]!;
    const served: { id: number }[] = [];
    for (let round = 0; round < 2; round++) {
      const batch = takeBatch(waiting, { maxBatch: 3, lengthOf: (item) => item.length });
      served.push(...batch);
      waiting = [...waiting.filter((item) => !batch.includes(item)), ...batch.map(() => text(10))];
    }
    expect(served).toContain(unusual);
  });

  test("the padded size stays within maxPaddedSize; a request over it runs alone", () => {
    const waiting = Array.from({ length: 10 }, (_, index) => "x".repeat(index === 9 ? 50 : 16));
    expect(takeBatch(waiting, { maxBatch: 256, lengthOf, maxPaddedSize: 128 })).toHaveLength(8);
    expect(takeBatch(waiting.slice(9), { maxBatch: 256, lengthOf, maxPaddedSize: 32 })).toEqual([waiting[9]!]);
  });

  test("a long request does not pad short ones: padding stays within the ratio", () => {
    const waiting = [...Array.from({ length: 6 }, () => "x".repeat(10)), "y".repeat(100)];
    const batch = takeBatch(waiting, { maxBatch: 32, lengthOf, maxPaddingRatio: 1.3 });
    expect(batch).toEqual(waiting.slice(0, 6));
    expect(takeBatch(waiting.slice(6), { maxBatch: 32, lengthOf })).toEqual([waiting[6]!]);
  });

  test("padding that costs less than a run of its own is allowed whatever the ratio (paddingSlack)", () => {
    const waiting = ["x".repeat(10), "y".repeat(100), "z".repeat(40)];
    expect(takeBatch(waiting, { maxBatch: 8, lengthOf })).toEqual([waiting[0]!]);
    expect(takeBatch(waiting, { maxBatch: 8, lengthOf, paddingSlack: 1000 })).toEqual(waiting);
    // 10 and 40 pad to 80 units for 50 real: 30 of padding, over a slack of 20.
    expect(takeBatch([waiting[0]!, waiting[2]!], { maxBatch: 8, lengthOf, paddingSlack: 20 })).toEqual([waiting[0]!]);
    expect(takeBatch(waiting, { maxBatch: 8, lengthOf, paddingSlack: 1000, maxPaddedSize: 150 })).toEqual([waiting[0]!, waiting[2]!]);
  });

  test("rows count against maxBatch; a request larger than it runs alone", () => {
    const waiting = [{ rows: 3 }, { rows: 3 }, { rows: 3 }, { rows: 20 }];
    const batch = takeBatch(waiting, { maxBatch: 8, lengthOf: () => 1, rowsOf: (item) => item.rows });
    expect(batch.map((item) => item.rows)).toEqual([3, 3]);
    expect(takeBatch([waiting[3]!], { maxBatch: 8, lengthOf: () => 1, rowsOf: (item) => item.rows })).toEqual([waiting[3]!]);
  });
});
