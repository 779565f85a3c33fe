import { describe, expect, test } from "bun:test";
import { LatencyWindow } from "../../src/metrics/latency-window.ts";

/** A window on a clock the test moves. */
function windowAt(start = 1_000_000, options: { windowSeconds?: number; maxSamples?: number } = {}) {
  const clock = { now: start };
  return { window: new LatencyWindow({ ...options, now: () => clock.now }), clock };
}

describe("LatencyWindow", () => {
  test("no requests: null percentiles and a zero rate", () => {
    expect(windowAt().window.summary()).toEqual({ window_seconds: 60, samples: 0, p50_ms: null, p95_ms: null, p99_ms: null, requests_per_second: 0 });
  });

  test("nearest-rank percentiles of 1..100 ms; the rate over the whole window", () => {
    const { window } = windowAt();
    for (let ms = 100; ms >= 1; ms--) window.record(ms, true);
    expect(window.summary()).toEqual({ window_seconds: 60, samples: 100, p50_ms: 50, p95_ms: 95, p99_ms: 99, requests_per_second: 1.6667 });
  });

  test("failures count in the rate but not in the percentiles", () => {
    const { window } = windowAt();
    window.record(5, true);
    window.record(1000, false);
    window.record(1000, false);
    const summary = window.summary();
    expect([summary.samples, summary.p99_ms, summary.requests_per_second]).toEqual([1, 5, 0.05]);
  });

  test("samples and counts older than the window drop out", () => {
    const { window, clock } = windowAt(0, { windowSeconds: 10 });
    window.record(100, true);
    clock.now += 5_000;
    window.record(1, true);
    expect(window.summary()).toMatchObject({ samples: 2, p99_ms: 100, requests_per_second: 0.2 });
    clock.now += 5_500; // the first request is now 10.5 s old
    expect(window.summary()).toMatchObject({ samples: 1, p50_ms: 1, p99_ms: 1, requests_per_second: 0.1 });
    clock.now += 60_000;
    expect(window.summary()).toMatchObject({ samples: 0, p50_ms: null, requests_per_second: 0 });
  });

  test("memory stays bounded: only the last maxSamples are kept", () => {
    const { window } = windowAt(0, { maxSamples: 10 });
    for (let i = 0; i < 1000; i++) window.record(i < 990 ? 1000 : 1, true);
    expect(window.summary()).toMatchObject({ samples: 10, p99_ms: 1, requests_per_second: 16.6667 });
  });
});
