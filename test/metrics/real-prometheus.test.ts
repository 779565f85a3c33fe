/**
 * A real Prometheus (Debian's package, started here on loopback) scrapes the service every
 * second with the metrics token. After known traffic, queries through Prometheus's HTTP API give
 * the expected answers: the request rate by model, a latency quantile from the histogram, and
 * the cache hit ratio. They are exact: every series starts at zero before the traffic (so
 * rate() has nothing to extrapolate at the start) and the queries are evaluated at the time of
 * the first scrape that saw all of the traffic (nothing to extrapolate at the end).
 */
import { expect } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { serveModels } from "../helpers/serve-models.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { postJson } from "../helpers/test-service.ts";
import { requireTool } from "../helpers/require-tool.ts";
import { sample } from "../helpers/prometheus-text.ts";
import { REPO_ROOT } from "../helpers/paths.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { runtime } from "#runtime";

// Without Debian's prometheus on PATH the tests below skip (one summary line for the run);
// MODEL_CACHE_REQUIRE_TOOLS=1 (CI) makes that a failure.
const prometheusTool = requireTool("prometheus");
const { afterAll, beforeAll, describe, test } = prometheusTool;
const METRICS_TOKEN = "prometheus-scrape-token-0123456789";
const RANGE_SECONDS = 600;

const served = serveModels(
  {
    "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    "iris_lazy.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  },
  { METRICS_TOKEN, PRELOAD: "iris_classifier,sentiment-distilbert", SENTIMENT_MODEL: "sentiment-distilbert" },
);

let prometheus: ChildProcess | undefined;
let prometheusExited: Promise<unknown> = Promise.resolve();
let promUrl = "";
let dataDir = "";
const promLog: string[] = [];

function freePort(): number {
  const probe = runtime.serve({ fetch: () => new Response() }, { port: 0, hostname: "127.0.0.1" });
  const port = probe.port;
  void probe.stop(true);
  return port;
}

/** One instant query; the result vector as [labels, value, timestamp]. */
async function query(expr: string, time?: number): Promise<{ metric: Record<string, string>; value: number; at: number }[]> {
  const params = new URLSearchParams({ query: expr, ...(time !== undefined && { time: String(time) }) });
  const response = await fetch(`${promUrl}/api/v1/query?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success") throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]), at: r.value[0] }));
}

/** Polls `check` until it gives a value, within a generous limit (scrapes are every second). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, limitMs = 90_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; Prometheus said:\n${promLog.join("").slice(-3000)}`);
    await sleep(250);
  }
}

describe("a real Prometheus scraping the service", () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "model-cache-prometheus-"));
    const port = freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const target = new URL(served.svc.url).host;
    const config = [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      "  - job_name: model-cache",
      "    scrape_interval: 1s",
      "    scrape_timeout: 1s",
      "    metrics_path: /metrics",
      `    authorization: { type: Bearer, credentials: ${METRICS_TOKEN} }`,
      `    static_configs: [{ targets: ["${target}"] }]`,
      "",
    ].join("\n");
    await writeFile(join(dataDir, "prometheus.yml"), config);
    prometheus = spawn(
      prometheusTool.path!,
      [`--config.file=${join(dataDir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dataDir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    prometheusExited = new Promise((resolve) => prometheus!.once("exit", resolve));
    prometheus.stderr!.setEncoding("utf8").on("data", (chunk: string) => promLog.push(chunk));
    // Every model's series at zero, scraped before any traffic.
    await waitFor("the first scrapes", async () => {
      const zeros = await query('model_cache_requests_total{outcome="success"}');
      return zeros.length === 4 && zeros.every((z) => z.value === 0) ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    prometheus?.kill();
    await prometheusExited;
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  test("rate by model, a latency quantile and the hit ratio answer as the traffic says", async () => {
    const url = served.svc.url;
    const iris = { inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };
    // Spread over a few scrapes: 30 iris requests, 10 sentiment requests, and a model loaded on
    // first use (1 miss, then 4 hits).
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 3; i++) expect((await postJson(`${url}/v2/models/iris_classifier/infer`, iris)).status).toBe(200);
      expect((await postJson(`${url}/api/v1/sentiment`, { texts: ["great phone", "awful battery", "fine"] })).status).toBe(200);
      if (round % 2 === 0) expect((await postJson(`${url}/v2/models/iris_lazy/infer`, iris)).status).toBe(200);
      await sleep(150);
    }
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

    // The first scrape that saw every request: evaluate there.
    const at = await waitFor("a scrape after the traffic", async () => {
      const [total] = await query('sum(model_cache_requests_total{outcome="success"})');
      if (total?.value !== 45) return undefined;
      const [stamp] = await query('max(timestamp(model_cache_requests_total{model="iris_classifier",outcome="success"}))');
      return stamp?.value;
    });
    expect((await query('up{job="model-cache"}', at))[0]!.value).toBe(1);

    const rates = await query(`sum by (model) (rate(model_cache_requests_total{outcome="success"}[${RANGE_SECONDS}s]))`, at);
    expect(Object.fromEntries(rates.map((r) => [r.metric.model, r.value]))).toEqual({
      iris_classifier: 30 / RANGE_SECONDS,
      "sentiment-distilbert": 10 / RANGE_SECONDS,
      iris_lazy: 5 / RANGE_SECONDS,
      lexicon: 0,
    });
    const inferences = await query(`sum by (model) (increase(model_cache_inferences_total[${RANGE_SECONDS}s]))`, at);
    expect(Object.fromEntries(inferences.map((r) => [r.metric.model, r.value]))).toMatchObject({ iris_classifier: 60, "sentiment-distilbert": 30 });

    // histogram_quantile over Prometheus's rates equals the quantile of the service's own buckets.
    const buckets = [...metrics.matchAll(/^model_cache_request_duration_seconds_bucket\{le="([^"]+)",model="iris_classifier",version="1.0.0",outcome="success"\} (\d+)$/gm)].map((m) => ({
      le: m[1] === "+Inf" ? Infinity : Number(m[1]),
      count: Number(m[2]),
    }));
    expect(buckets.at(-1)!.count).toBe(30);
    const [p90] = await query(
      `histogram_quantile(0.9, sum by (le) (rate(model_cache_request_duration_seconds_bucket{model="iris_classifier",outcome="success"}[${RANGE_SECONDS}s])))`,
      at,
    );
    expect(p90!.value).toBeCloseTo(quantile(0.9, buckets), 9);
    expect(p90!.value).toBeGreaterThan(0);

    // The hit ratio, from the registry's own hits and misses.
    const registry = (await (await fetch(`${url}/api/v1/models/registry`)).json()) as { models: { hits: number; misses: number }[] };
    const hits = registry.models.reduce((sum, m) => sum + m.hits, 0);
    const misses = registry.models.reduce((sum, m) => sum + m.misses, 0);
    expect([hits, misses]).toEqual([44, 1]);
    const [ratio] = await query(
      `sum(rate(model_cache_hits_total[${RANGE_SECONDS}s])) / (sum(rate(model_cache_hits_total[${RANGE_SECONDS}s])) + sum(rate(model_cache_misses_total[${RANGE_SECONDS}s])))`,
      at,
    );
    expect(ratio!.value).toBeCloseTo(44 / 45, 12);
    expect(sample(metrics, "model_cache_misses_total", { model: "iris_lazy" })).toBe(1);
  }, 180_000);

  test("every query of the Grafana dashboard and of docs/monitoring.md is valid PromQL with data behind it", async () => {
    const dashboard = JSON.parse(await readFile(join(REPO_ROOT, "docs/grafana-dashboard.json"), "utf8")) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const doc = await readFile(join(REPO_ROOT, "docs/monitoring.md"), "utf8");
    const documented = [...doc.matchAll(/```promql\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#")));
    const queries = [
      ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => [panel.title, target.expr] as const)),
      ...documented.map((expr) => ["docs/monitoring.md", expr] as const),
    ];
    expect(queries.length).toBeGreaterThan(20);
    const empty: string[] = [];
    for (const [where, expr] of queries) {
      const concrete = expr.replaceAll("$__rate_interval", "1m").replaceAll('"$model"', '".*"').replaceAll('"$job"', '".*"');
      const result = await query(concrete); // throws with Prometheus's message when it is not valid
      if (result.length === 0) empty.push(`${where}: ${expr}`);
    }
    // Failures and host incidents did not happen here; everything else has data.
    expect(empty.filter((entry) => !/outcome="failure"|host_re(starts|cycles)/.test(entry))).toEqual([]);
  }, 60_000);
});

/** Prometheus's histogram_quantile on cumulative bucket counts (linear inside the bucket). */
function quantile(q: number, buckets: { le: number; count: number }[]): number {
  const total = buckets.at(-1)!.count;
  const rank = q * total;
  const index = buckets.findIndex((b) => b.count >= rank);
  const bucket = buckets[index]!;
  if (bucket.le === Infinity) return buckets[index - 1]!.le;
  const lower = index === 0 ? 0 : buckets[index - 1]!.le;
  const below = index === 0 ? 0 : buckets[index - 1]!.count;
  return lower + (bucket.le - lower) * ((rank - below) / (bucket.count - below));
}
