/**
 * Statistics, metrics and the registry's latency on a real service after known traffic: the
 * three read the same numbers. Also METRICS_TOKEN and METRICS=false.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { serveModels } from "../helpers/serve-models.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { ADMIN_TOKEN, getJson, postJson } from "../helpers/test-service.ts";
import { sample } from "../helpers/prometheus-text.ts";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const INFERENCE_TOKEN = "inference-token-0123456789abcdef";
const files = {
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
};
const served = serveModels(files, { METRICS_TOKEN, SENTIMENT_MODEL: "sentiment-distilbert" });
const unmetered = serveModels({ "iris_classifier.onnx": files["iris_classifier.onnx"] }, { METRICS: "false", INFERENCE_TOKEN });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const irisBody = (data: unknown = [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]) => ({ inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data }] });
let metrics = "";

beforeAll(async () => {
  const url = served.svc.url;
  for (let i = 0; i < 5; i++) expect((await postJson(`${url}/v2/models/iris_classifier/infer`, irisBody())).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    const wrong = { inputs: [{ name: "input", datatype: "FP64", shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }] };
    expect((await postJson(`${url}/v2/models/iris_classifier/infer`, wrong)).status).toBe(400);
  }
  expect((await postJson(`${url}/api/v1/sentiment`, { texts: ["great", "awful", "fine"] })).status).toBe(200);
  expect((await postJson(`${url}/api/v1/models/sales_forecast/forecast`, { periods: 3 })).status).toBe(200);
  const response = await fetch(`${url}/metrics`, { headers: bearer(METRICS_TOKEN) });
  expect(response.status).toBe(200);
  metrics = await response.text();
});

describe("statistics extension (Triton's shape)", () => {
  test("a model: 5 successes, 2 failures, 10 inferences in 5 executions of batch 2", async () => {
    const { status, body } = await getJson(`${served.svc.url}/v2/models/iris_classifier/stats`);
    expect(status).toBe(200);
    const [stats] = body.model_stats;
    expect([stats.name, stats.version, stats.inference_count, stats.execution_count]).toEqual(["iris_classifier", "1.0.0", 10, 5]);
    expect(stats.inference_stats.success.count).toBe(5);
    expect(stats.inference_stats.fail.count).toBe(2);
    for (const stage of ["queue", "compute_input", "compute_infer", "compute_output"]) expect([stage, stats.inference_stats[stage].count]).toEqual([stage, 5]);
    expect(stats.inference_stats.success.ns).toBeGreaterThanOrEqual(stats.inference_stats.compute_infer.ns);
    expect(stats.batch_stats.map((b: { batch_size: number; compute_infer: { count: number } }) => [b.batch_size, b.compute_infer.count])).toEqual([[2, 5]]);
    expect(stats.last_inference).toBeGreaterThan(Date.now() - 600_000);
  });

  test("sentiment counts each text as an inference; a forecast counts one", async () => {
    const { body } = await getJson(`${served.svc.url}/v2/models/stats`);
    const byName = Object.fromEntries(body.model_stats.map((s: { name: string }) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["iris_classifier", "lexicon", "sales_forecast", "sentiment-distilbert"]);
    expect([byName["sentiment-distilbert"].inference_stats.success.count, byName["sentiment-distilbert"].inference_count]).toEqual([1, 3]);
    expect([byName.sales_forecast.inference_stats.success.count, byName.sales_forecast.execution_count]).toEqual([1, 1]);
    expect(byName.lexicon.inference_stats.success.count).toBe(0);
  });

  test("per version; an unknown version or model is a 404 with the OIP error body", async () => {
    expect((await getJson(`${served.svc.url}/v2/models/iris_classifier/versions/1.0.0/stats`)).body.model_stats[0].inference_count).toBe(10);
    for (const path of ["/v2/models/iris_classifier/versions/9/stats", "/v2/models/nope/stats"]) {
      const { status, body } = await getJson(`${served.svc.url}${path}`);
      expect([status, typeof body.error]).toEqual([404, "string"]);
    }
  });

  test("the registry's hits and misses, the statistics' cache_hit/cache_miss and the metrics agree", async () => {
    const { body: registry } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    const { body } = await getJson(`${served.svc.url}/v2/models/stats`);
    const fresh = await (await fetch(`${served.svc.url}/metrics`, { headers: bearer(ADMIN_TOKEN) })).text();
    for (const entry of registry.models) {
      const stats = body.model_stats.find((s: { name: string }) => s.name === entry.name).inference_stats;
      const labels = { model: entry.name, version: entry.version };
      expect([entry.name, stats.cache_hit.count, stats.cache_miss.count]).toEqual([entry.name, entry.hits, entry.misses]);
      expect([entry.name, sample(fresh, "model_cache_hits_total", labels) ?? 0, sample(fresh, "model_cache_misses_total", labels) ?? 0]).toEqual([entry.name, entry.hits, entry.misses]);
      expect([entry.name, sample(fresh, "model_cache_loads_total", labels) ?? 0]).toEqual([entry.name, entry.load_count]);
    }
  });
});

describe("latency in the registry", () => {
  test("percentiles of the successful requests and the request rate over the window", async () => {
    const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    const iris = body.models.find((m: { name: string }) => m.name === "iris_classifier");
    const { window_seconds, samples, p50_ms, p95_ms, p99_ms, requests_per_second } = iris.latency;
    expect([window_seconds, samples]).toEqual([60, 5]);
    expect(p50_ms).toBeGreaterThan(0);
    expect(p50_ms).toBeLessThanOrEqual(p95_ms);
    expect(p95_ms).toBeLessThanOrEqual(p99_ms);
    expect(requests_per_second).toBeCloseTo(7 / 60, 4);
    const lexicon = body.models.find((m: { name: string }) => m.name === "lexicon");
    expect(lexicon.latency).toMatchObject({ samples: 0, p50_ms: null, requests_per_second: 0 });
  });
});

describe("GET /metrics", () => {
  test("the known traffic, by model and outcome with the failure's reason", () => {
    const iris = { model: "iris_classifier", version: "1.0.0" };
    expect(sample(metrics, "model_cache_requests_total", { ...iris, outcome: "success", reason: "" })).toBe(5);
    expect(sample(metrics, "model_cache_requests_total", { ...iris, outcome: "failure", reason: "invalid_inference_request" })).toBe(2);
    expect([sample(metrics, "model_cache_inferences_total", iris), sample(metrics, "model_cache_executions_total", iris)]).toEqual([10, 5]);
    expect(sample(metrics, "model_cache_request_duration_seconds_count", { ...iris, outcome: "success" })).toBe(5);
    expect(sample(metrics, "model_cache_compute_duration_seconds_count", { ...iris, stage: "infer" })).toBe(5);
    expect(sample(metrics, "model_cache_requests_in_flight", iris)).toBe(0);
    expect(sample(metrics, "model_cache_inferences_total", { model: "sentiment-distilbert" })).toBe(3);
    expect(sample(metrics, "model_cache_requests_total", { model: "sales_forecast", outcome: "success" })).toBe(1);
    expect(sample(metrics, "model_cache_model_status", { ...iris, status: "loaded" })).toBe(1);
    expect(sample(metrics, "model_cache_model_status", { ...iris, status: "failed" })).toBe(0);
    expect(sample(metrics, "model_cache_model_memory_bytes", iris)).toBeGreaterThan(0);
    expect(sample(metrics, "model_cache_load_duration_seconds_count", iris)).toBe(1);
    expect(sample(metrics, "model_cache_host_restarts_total", { host: "wasm-0" })).toBe(0);
    expect(sample(metrics, "model_cache_host_wasm_memory_bytes", { host: "wasm-0" })).toBeGreaterThan(0);
    expect(sample(metrics, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  test("text exposition format: HELP and TYPE lines, the content type Prometheus expects", async () => {
    const response = await fetch(`${served.svc.url}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# HELP model_cache_requests_total ");
    expect(text).toContain("# TYPE model_cache_requests_total counter");
    expect(text).toContain("# TYPE model_cache_requests_in_flight gauge");
  });

  test("METRICS_TOKEN: 401 without it or with a wrong one; the admin token opens it too", async () => {
    const url = `${served.svc.url}/metrics`;
    const missing = await fetch(url);
    expect([missing.status, missing.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="model-cache"']);
    expect((await missing.json()) as unknown).toMatchObject({ error: { code: "missing_token" } });
    expect((await fetch(url, { headers: bearer("not-the-right-token-at-all") })).status).toBe(401);
    expect((await fetch(url, { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });

  test("the metrics token opens nothing else that is protected", async () => {
    expect((await fetch(`${served.svc.url}/api/v1/models/reload`, { method: "POST", headers: bearer(METRICS_TOKEN) })).status).toBe(403);
    expect((await getJson(`${served.svc.url}/v2/models/stats`, bearer(METRICS_TOKEN))).status).toBe(200); // open: no INFERENCE_TOKEN here
  });

  test("METRICS=false: no /metrics route (404), statistics still there, behind INFERENCE_TOKEN", async () => {
    const url = unmetered.svc.url;
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await getJson(`${url}/v2/models/stats`)).status).toBe(401);
    expect((await getJson(`${url}/v2/models/stats`, bearer(INFERENCE_TOKEN))).body.model_stats).toHaveLength(2);
  });
});
