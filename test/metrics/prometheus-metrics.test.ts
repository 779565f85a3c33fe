import { describe, expect, test } from "bun:test";
import { PrometheusMetrics } from "../../src/metrics/prometheus-metrics.ts";
import { sample } from "../helpers/prometheus-text.ts";

describe("PrometheusMetrics", () => {
  const m = { model: "iris", version: "1.0.0" };

  test("requests by outcome and reason, in flight, inferences and executions, durations in seconds", async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.requestStarted("iris", "1.0.0");
    metrics.requestStarted("iris", "1.0.0");
    metrics.executions("iris", "1.0.0", 8, { inputNs: 1e6, inferNs: 2e6, outputNs: 3e6 });
    metrics.requestFinished({ ...m, outcome: "success", queueNs: 5e5, inputNs: 1e6, inferNs: 2e6, outputNs: 3e6, totalNs: 7e6 });
    const text1 = await metrics.registry.metrics();
    expect(sample(text1, "model_cache_requests_in_flight", m)).toBe(1);
    metrics.requestFinished({ ...m, outcome: "failure", reason: "model_not_ready", queueNs: 0, inputNs: 0, inferNs: 0, outputNs: 0, totalNs: 1e6 });
    const text = await metrics.registry.metrics();
    expect(sample(text, "model_cache_requests_in_flight", m)).toBe(0);
    expect(sample(text, "model_cache_requests_total", { ...m, outcome: "success", reason: "" })).toBe(1);
    expect(sample(text, "model_cache_requests_total", { ...m, outcome: "failure", reason: "model_not_ready" })).toBe(1);
    expect(sample(text, "model_cache_inferences_total", m)).toBe(8);
    expect(sample(text, "model_cache_executions_total", m)).toBe(1);
    expect(sample(text, "model_cache_request_duration_seconds_sum", { ...m, outcome: "success" })).toBeCloseTo(0.007, 9);
    expect(sample(text, "model_cache_request_duration_seconds_bucket", { ...m, outcome: "success", le: "0.005" })).toBe(0);
    expect(sample(text, "model_cache_request_duration_seconds_bucket", { ...m, outcome: "success", le: "0.01" })).toBe(1);
    expect(sample(text, "model_cache_queue_duration_seconds_count", m)).toBe(1);
    expect(sample(text, "model_cache_compute_duration_seconds_sum", { ...m, stage: "output" })).toBeCloseTo(0.003, 9);
    expect(text).toContain("# TYPE model_cache_request_duration_seconds histogram");
  });

  test("cache hits, misses, loads, failed loads and load durations", async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.lookup("iris", "1.0.0", true);
    metrics.lookup("iris", "1.0.0", true);
    metrics.lookup("iris", "1.0.0", false);
    metrics.loadFinished("iris", "1.0.0", true, 0.25);
    metrics.loadFinished("iris", "1.0.0", false, 0);
    const text = await metrics.registry.metrics();
    expect([sample(text, "model_cache_hits_total", m), sample(text, "model_cache_misses_total", m)]).toEqual([2, 1]);
    expect([sample(text, "model_cache_loads_total", m), sample(text, "model_cache_load_failures_total", m)]).toEqual([1, 1]);
    expect(sample(text, "model_cache_load_duration_seconds_sum", m)).toBe(0.25);
  });

  test("status, memory and hosts are read at scrape time", async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    let status = "loading";
    metrics.watch({
      statuses: ["loading", "loaded", "failed"],
      models: () => [{ name: "iris", version: "1.0.0", status, memoryBytes: status === "loaded" ? 1234 : 0, evictions: 3 }],
      hosts: async () => [{ name: "wasm-0", wasmMemoryBytes: 16_777_216, restarts: 2, recycles: 1 }],
    });
    let text = await metrics.registry.metrics();
    expect(sample(text, "model_cache_model_status", { ...m, status: "loading" })).toBe(1);
    expect(sample(text, "model_cache_model_status", { ...m, status: "loaded" })).toBe(0);
    status = "loaded";
    text = await metrics.registry.metrics();
    expect(sample(text, "model_cache_model_status", { ...m, status: "loaded" })).toBe(1);
    expect(sample(text, "model_cache_model_memory_bytes", m)).toBe(1234);
    expect(sample(text, "model_cache_host_wasm_memory_bytes", { host: "wasm-0" })).toBe(16_777_216);
    expect(sample(text, "model_cache_host_restarts_total", { host: "wasm-0" })).toBe(2);
    text = await metrics.registry.metrics(); // read twice: a tally is not added up again
    expect(sample(text, "model_cache_host_recycles_total", { host: "wasm-0" })).toBe(1);
    expect(sample(text, "model_cache_model_evictions_total", m)).toBe(3);
  });

  test("prom-client's process metrics are there", async () => {
    const text = await new PrometheusMetrics().registry.metrics();
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_heap_size_used_bytes"]) {
      expect([name, sample(text, name)! >= 0]).toEqual([name, true]);
    }
  });
});

describe("PrometheusMetrics: series start at zero", () => {
  test("every known model has its counters and histograms at 0 before its first request", async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.watch({ statuses: ["skipped"], models: () => [{ name: "lazy", version: "1", status: "skipped", memoryBytes: 0, evictions: 0 }], hosts: async () => [] });
    const text = await metrics.text();
    const labels = { model: "lazy", version: "1" };
    expect(sample(text, "model_cache_requests_total", { ...labels, outcome: "success", reason: "" })).toBe(0);
    expect(sample(text, "model_cache_misses_total", labels)).toBe(0);
    expect(sample(text, "model_cache_request_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(0);
  });

  test("zeroing never erases what was counted before the first scrape", async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.loadFinished("iris", "1", true, 0.5);
    metrics.lookup("iris", "1", true);
    metrics.watch({ statuses: ["loaded"], models: () => [{ name: "iris", version: "1", status: "loaded", memoryBytes: 1, evictions: 0 }], hosts: async () => [] });
    const text = await metrics.text();
    expect(sample(text, "model_cache_load_duration_seconds_count", { model: "iris" })).toBe(1);
    expect(sample(text, "model_cache_hits_total", { model: "iris" })).toBe(1);
  });
});
