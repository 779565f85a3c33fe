import { describe, expect, test } from "bun:test";
import { LiveInstance } from "../../src/cache/live-instance.ts";
import { setTimeout as sleep } from "node:timers/promises";

describe("LiveInstance", () => {
  test("retire disposes at once when idle", async () => {
    let disposed = 0;
    const live = new LiveInstance({ dispose: async () => void disposed++ });
    await live.retire();
    expect(disposed).toBe(1);
  });

  test("retire waits for the last lease, and a double release counts once", async () => {
    let disposed = 0;
    const live = new LiveInstance({ dispose: async () => void disposed++ });
    const first = live.lease();
    const second = live.lease();
    let done = false;
    const retiring = live.retire().then(() => (done = true));
    first();
    first();
    await sleep(1);
    expect(done).toBe(false);
    expect(live.inFlight).toBe(1);
    second();
    await retiring;
    expect(disposed).toBe(1);
  });

  test("a model without dispose, or whose dispose throws, still retires", async () => {
    await new LiveInstance({}).retire();
    await new LiveInstance({ dispose: () => Promise.reject(new Error("host gone")) }).retire();
  });
});
