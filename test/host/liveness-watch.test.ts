/**
 * How a model host's silence is judged (src/host/liveness-watch.ts): Deno reports no worker's
 * exit, so a worker that ends without an error is noticed by its missing heartbeat, but never
 * while a call that may hold its thread is pending.
 */
import { describe, expect, test } from "bun:test";
import { setTimeout as sleep } from "node:timers/promises";
import { LivenessWatch } from "../../src/host/liveness-watch.ts";

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

describe("LivenessWatch", () => {
  test("an idle worker silent past the limit is declared gone, with the length of its silence", async () => {
    const silences: number[] = [];
    const watch = new LivenessWatch(200, () => false, (ms) => silences.push(ms));
    try {
      await until(() => silences.length > 0);
      expect(silences[0]).toBeGreaterThan(200);
    } finally {
      watch.stop();
    }
  });

  test("a worker heard from keeps its life", async () => {
    let declared = false;
    const watch = new LivenessWatch(1000, () => false, () => (declared = true));
    const beat = setInterval(() => watch.heard(), 20);
    try {
      await sleep(1500);
      expect(declared).toBe(false);
    } finally {
      clearInterval(beat);
      watch.stop();
    }
  });

  test("silence while a blocking call is pending proves nothing; it counts once the call is over", async () => {
    let busy = true;
    let declared = false;
    const watch = new LivenessWatch(100, () => busy, () => (declared = true));
    try {
      await sleep(600);
      expect(declared).toBe(false);
      busy = false;
      await until(() => declared);
    } finally {
      watch.stop();
    }
  });

  test("stop ends the watch", async () => {
    let declared = false;
    const watch = new LivenessWatch(50, () => false, () => (declared = true));
    watch.stop();
    await sleep(400);
    expect(declared).toBe(false);
  });
});
