import { describe, expect, test } from "bun:test";
import { Limiter } from "../../src/util/limiter.ts";
import { PromiseMemo } from "../../src/util/memoize-promise.ts";
import { SerialQueue } from "../../src/util/serial-queue.ts";
import { TimeoutError, withTimeout } from "../../src/util/with-timeout.ts";
import { setTimeout as sleep } from "node:timers/promises";

describe("Limiter", () => {
  test("never runs more than its limit at once, and runs everything", async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await sleep(5);
          active--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("a failing job frees its slot", async () => {
    const limiter = new Limiter(1);
    expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run(async () => "next")).toBe("next");
  });

  test("refuses a limit below 1", () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});

describe("SerialQueue", () => {
  test("runs jobs one after another, in order, past failures", async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    const a = queue.run(async () => {
      await sleep(10);
      order.push("a");
    });
    const b = queue.run(async () => {
      order.push("b");
      throw new Error("b fails");
    });
    const c = queue.run(async () => {
      order.push("c");
    });
    await a;
    expect(b).rejects.toThrow("b fails");
    await c;
    expect(order).toEqual(["a", "b", "c"]);
  });
});

describe("PromiseMemo", () => {
  test("shares one run per key and forgets failures", async () => {
    const memo = new PromiseMemo<string, number>();
    let runs = 0;
    const make = async () => {
      runs++;
      await sleep(5);
      if (runs === 1) throw new Error("first fails");
      return runs;
    };
    const [a, b] = await Promise.allSettled([memo.get("k", make), memo.get("k", make)]);
    expect(a.status).toBe("rejected");
    expect(b.status).toBe("rejected");
    expect(runs).toBe(1);
    await sleep(1);
    expect(await memo.get("k", make)).toBe(2);
    expect(await memo.get("k", make)).toBe(2);
    expect(runs).toBe(2);
  });
});

describe("withTimeout", () => {
  test("rejects with TimeoutError, and hands a late value to onLate", async () => {
    let late: number | undefined;
    const job = sleep(40).then(() => 7);
    expect(withTimeout(job, 10, "job", (value) => (late = value))).rejects.toBeInstanceOf(TimeoutError);
    await job;
    expect(late).toBe(7);
  });

  test("passes a timely value through", async () => {
    expect(await withTimeout(Promise.resolve(3), 100, "job")).toBe(3);
  });
});
