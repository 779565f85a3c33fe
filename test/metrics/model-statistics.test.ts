import { describe, expect, test } from "bun:test";
import { ModelStatisticsStore } from "../../src/metrics/model-statistics.ts";
import { RequestTimer, timed } from "../../src/metrics/request-timer.ts";
import type { RequestReport } from "../../src/metrics/inference-observer.ts";
import { BadRequestError, UnavailableError } from "../../src/errors/app-error.ts";
import { setTimeout as sleep } from "node:timers/promises";

const report = (overrides: Partial<RequestReport>): RequestReport => ({
  model: "m",
  version: "1",
  outcome: "success",
  queueNs: 10,
  inputNs: 20,
  inferNs: 300,
  outputNs: 40,
  totalNs: 400,
  ...overrides,
});

describe("ModelStatisticsStore: Triton's statistics", () => {
  test("a model never used has zeros in Triton's shape", () => {
    const zero = { count: 0, ns: 0 };
    expect(new ModelStatisticsStore().get("m", "1")).toEqual({
      name: "m",
      version: "1",
      last_inference: 0,
      inference_count: 0,
      execution_count: 0,
      inference_stats: { success: zero, fail: zero, queue: zero, compute_input: zero, compute_infer: zero, compute_output: zero, cache_hit: zero, cache_miss: zero },
      batch_stats: [],
    });
  });

  test("successes add their stages; failures only count and time the request", () => {
    const store = new ModelStatisticsStore({}, () => 1234);
    store.requestFinished(report({}));
    store.requestFinished(report({ totalNs: 600, queueNs: 30 }));
    store.requestFinished(report({ outcome: "failure", reason: "invalid_inference_request", totalNs: 50 }));
    const stats = store.get("m", "1");
    expect(stats.last_inference).toBe(1234);
    expect(stats.inference_stats).toMatchObject({
      success: { count: 2, ns: 1000 },
      fail: { count: 1, ns: 50 },
      queue: { count: 2, ns: 40 },
      compute_input: { count: 2, ns: 40 },
      compute_infer: { count: 2, ns: 600 },
      compute_output: { count: 2, ns: 80 },
    });
  });

  test("executions: inferences add the batch size, executions count once; batch_stats by size", () => {
    const store = new ModelStatisticsStore();
    store.executions("m", "1", 8, { inputNs: 1, inferNs: 2, outputNs: 3 });
    store.executions("m", "1", 1, { inputNs: 1, inferNs: 2, outputNs: 3 });
    store.executions("m", "1", 8, { inputNs: 1, inferNs: 2, outputNs: 3 });
    const stats = store.get("m", "1");
    expect([stats.inference_count, stats.execution_count]).toEqual([17, 3]);
    expect(stats.batch_stats.map((b) => [b.batch_size, b.compute_infer])).toEqual([
      [1, { count: 1, ns: 2 }],
      [8, { count: 2, ns: 4 }],
    ]);
  });

  test("cache hits and misses, with the wait of a miss", () => {
    const store = new ModelStatisticsStore();
    store.lookup("m", "1", true, 0);
    store.lookup("m", "1", false, 5e6);
    store.lookup("m", "1", true, 0);
    expect(store.get("m", "1").inference_stats).toMatchObject({ cache_hit: { count: 2, ns: 0 }, cache_miss: { count: 1, ns: 5e6 } });
  });

  test("versions are kept apart, and what get() returns is a copy", () => {
    const store = new ModelStatisticsStore();
    store.requestFinished(report({ version: "2" }));
    expect(store.get("m", "1").inference_stats.success.count).toBe(0);
    const copy = store.get("m", "2");
    copy.inference_stats.success.count = 99;
    expect(store.get("m", "2").inference_stats.success.count).toBe(1);
  });

  test("the registry's latency comes from the same requests", () => {
    const store = new ModelStatisticsStore();
    store.requestFinished(report({ totalNs: 2e6 }));
    store.requestFinished(report({ outcome: "failure", totalNs: 9e9 }));
    expect(store.latency("m", "1")).toMatchObject({ samples: 1, p50_ms: 2, p99_ms: 2 });
    expect(store.latency("other", "1")).toMatchObject({ samples: 0, p50_ms: null, requests_per_second: 0 });
  });
});

describe("RequestTimer", () => {
  test("reports once: in flight, stages, one execution of the batch, then the success", async () => {
    const events: string[] = [];
    const store = new ModelStatisticsStore();
    const observer = {
      requestStarted: (model: string) => events.push(`start ${model}`),
      requestFinished: (r: RequestReport) => (events.push(`finish ${r.outcome}`), store.requestFinished(r)),
      executions: (model: string, version: string, batch: number, compute: { inputNs: number; inferNs: number; outputNs: number }) => (
        events.push(`exec ${batch}`), store.executions(model, version, batch, compute)
      ),
    };
    const timer = new RequestTimer(observer, "m", "1");
    timer.stage("queue");
    timer.stage("infer");
    await sleep(5);
    timer.stage("output");
    timer.succeed(4);
    timer.fail(new Error("late")); // ignored: already finished
    expect(events).toEqual(["start m", "exec 4", "finish success"]);
    const stats = store.get("m", "1");
    expect(stats.inference_stats.compute_infer.ns).toBeGreaterThanOrEqual(4e6);
    expect(stats.inference_stats.success.ns).toBeGreaterThanOrEqual(stats.inference_stats.compute_infer.ns);
    expect(stats.inference_stats.compute_input.ns).toBe(0);
  });

  test("timed(): failures are reported with the error's code and rethrown", async () => {
    const reports: RequestReport[] = [];
    const observer = { requestStarted: () => undefined, requestFinished: (r: RequestReport) => reports.push(r), executions: () => undefined };
    await expect(timed(observer, "m", "1", () => Promise.reject(new BadRequestError("no", "bad_thing")))).rejects.toThrow("no");
    await expect(timed(observer, "m", "1", () => Promise.reject(new Error("boom", { cause: new UnavailableError("x", "model_not_ready") })))).rejects.toThrow();
    await expect(timed(observer, "m", "1", () => Promise.reject(new TypeError("bug")))).rejects.toThrow();
    expect(reports.map((r) => [r.outcome, r.reason])).toEqual([
      ["failure", "bad_thing"],
      ["failure", "model_not_ready"],
      ["failure", "internal_error"],
    ]);
  });
});
