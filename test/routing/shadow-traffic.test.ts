import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../src/logging/logger.ts";
import type { TrafficEvent } from "../../src/routing/route.ts";
import { ShadowTraffic } from "../../src/routing/shadow-traffic.ts";
import { TrafficCounter } from "../../src/routing/traffic-stats.ts";
import { setTimeout as sleep } from "node:timers/promises";

const target = { id: "iris@2", model: "iris", version: "2" };

describe("shadow copies", () => {
  test("start only after the current turn of the event loop (the answer they copy goes first)", async () => {
    const shadows = new ShadowTraffic(4, silentLogger, undefined);
    let started = false;
    shadows.send(target, new TrafficCounter(), async () => {
      started = true;
    });
    expect(started).toBe(false);
    await Promise.resolve();
    expect(started).toBe(false);
    await shadows.settled();
    expect(started).toBe(true);
  });

  test("a failing copy is counted, never thrown, and leaves no unhandled rejection", async () => {
    const events: TrafficEvent[] = [];
    const shadows = new ShadowTraffic(8, silentLogger, (event) => events.push(event));
    const counter = new TrafficCounter();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      for (let i = 0; i < 3; i++) shadows.send(target, counter, () => Promise.reject(new Error("shadow model broke")));
      shadows.send(target, counter, () => {
        throw new Error("thrown before any promise");
      });
      shadows.send(target, counter, async () => "fine");
      await shadows.settled();
      await sleep(10);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(counter.toJSON()).toMatchObject({ shadow_requests: 5, shadow_failures: 4, shadow_dropped: 0, requests: 0, errors: 0 });
    expect(events.map((event) => event.outcome).sort()).toEqual(["error", "error", "error", "error", "ok"]);
  });

  test("a copy whose metrics hook throws still ends cleanly", async () => {
    const shadows = new ShadowTraffic(2, silentLogger, () => {
      throw new Error("metrics bug");
    });
    shadows.send(target, new TrafficCounter(), async () => undefined);
    await shadows.settled();
    expect(shadows.inFlight).toBe(0);
  });

  test("a slow shadow cannot pile up: past the limit, copies are dropped and counted", async () => {
    const shadows = new ShadowTraffic(8, silentLogger, undefined);
    const counter = new TrafficCounter();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    for (let i = 0; i < 20; i++) {
      shadows.send(target, counter, async () => {
        started++;
        await gate;
      });
    }
    expect(shadows.inFlight).toBe(8);
    expect(counter.toJSON().shadow_dropped).toBe(12);
    await sleep(5);
    expect(started).toBe(8);
    release();
    await shadows.settled();
    expect(shadows.inFlight).toBe(0);
    expect(counter.toJSON()).toMatchObject({ shadow_requests: 8, shadow_failures: 0, shadow_dropped: 12 });
    // Room again once they finished.
    shadows.send(target, counter, async () => undefined);
    await shadows.settled();
    expect(counter.toJSON().shadow_requests).toBe(9);
  });
});

describe("traffic counters", () => {
  test("4xx are bad requests, anything else an error; latency percentiles over the window", async () => {
    const { BadRequestError, UnavailableError } = await import("../../src/errors/app-error.ts");
    const counter = new TrafficCounter();
    for (let ms = 1; ms <= 100; ms++) counter.served(ms);
    counter.failed(new BadRequestError("bad input"), 1);
    counter.failed(new UnavailableError("not loaded"), 1);
    counter.failed(new Error("unexpected"), 1);
    counter.fellBack();
    const json = counter.toJSON();
    expect(json).toMatchObject({ requests: 103, errors: 3, bad_requests: 1 });
    expect(json.latency_ms).toMatchObject({ count: 103, p50: 49, max: 100 });
    expect(json.latency_ms!.p99).toBe(99);
    expect(json.shadow_latency_ms).toBeNull();
  });
});
