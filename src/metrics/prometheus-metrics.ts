/**
 * The service's Prometheus metrics on one prom-client registry (built by the composition root):
 * per model and version requests, inferences, executions, durations, loads, cache hits and
 * misses, status and memory; per model host WASM memory, restarts and recycles; and prom-client's
 * process metrics. Fed by the observers; status, memory and hosts are read at scrape time.
 * Names and their Triton counterparts: docs/monitoring.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { keepResidentMemory } from "./resident-memory.ts";
import { HistogramSeries, SeriesCounter, SeriesGauge, SeriesHistogram } from "./series-metrics.ts";
import type { CacheObserver } from "../cache/cache-observer.ts";
import type { ComputeNs, InferenceObserver, RequestReport } from "./inference-observer.ts";

/** What the scrape reads about each model. */
export interface ModelGauges {
  name: string;
  version: string;
  status: string;
  /** Bytes the loaded model holds as measured at load (registry `memory_bytes`); 0 when not loaded. */
  memoryBytes: number;
  /** Times the memory budget evicted it. */
  evictions: number;
}

/** What the scrape reads about each model host. */
export interface HostGauges {
  name: string;
  wasmMemoryBytes: number;
  restarts: number;
  recycles: number;
}

/** Where the scrape-time metrics come from; set once the cache and hosts exist. */
export interface MetricSources {
  models: () => ModelGauges[];
  hosts: () => Promise<HostGauges[]>;
  /** Every status a model can have (each gets a 0/1 series). */
  statuses: readonly string[];
}

/** Request and stage durations: fast models answer in well under a millisecond. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LOAD_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const MODEL = ["model", "version"] as const;

/** The series one model version counts into on every request. */
interface ModelSeries {
  inFlight: { value: number };
  succeeded: { value: number };
  successDuration: HistogramSeries;
  queue: HistogramSeries;
  input: HistogramSeries;
  infer: HistogramSeries;
  output: HistogramSeries;
  executions: { value: number };
  inferences: { value: number };
  hits: { value: number };
  misses: { value: number };
}

/**
 * @example
 * const metrics = new PrometheusMetrics();
 * metrics.watch({ models: () => [...], hosts: async () => [...], statuses: MODEL_STATUSES });
 * const text = await metrics.registry.metrics();
 */
export class PrometheusMetrics implements InferenceObserver, CacheObserver {
  readonly registry: Registry;
  private sources: MetricSources | undefined;
  // The per-request metrics count into series handles (./series-metrics.ts); loads are rare and
  // stay prom-client's own.
  private readonly requests: SeriesCounter;
  private readonly inFlight: SeriesGauge;
  private readonly inferences: SeriesCounter;
  private readonly executionCount: SeriesCounter;
  private readonly requestDuration: SeriesHistogram;
  private readonly queueDuration: SeriesHistogram;
  private readonly computeDuration: SeriesHistogram;
  private readonly hits: SeriesCounter;
  private readonly misses: SeriesCounter;
  private readonly loads: Counter<"model" | "version">;
  private readonly loadFailures: Counter<"model" | "version">;
  private readonly loadDuration: Histogram<"model" | "version">;
  /** Each model version's series, by model then version: created, at zero, before its first event. */
  private readonly models = new Map<string, Map<string, ModelSeries>>();

  constructor(options: { registry?: Registry; processMetrics?: boolean } = {}) {
    const registry = (this.registry = options.registry ?? new Registry());
    const registers = [registry];
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: registry });
      keepResidentMemory(registry);
    }
    this.requests = new SeriesCounter(registry, {
      name: "model_cache_requests_total",
      help: "Requests answered per model and version, by outcome (success, failure) and, for failures, the reason (error code)",
      labelNames: [...MODEL, "outcome", "reason"],
    });
    this.inFlight = new SeriesGauge(registry, { name: "model_cache_requests_in_flight", help: "Requests being answered now", labelNames: MODEL });
    this.inferences = new SeriesCounter(registry, {
      name: "model_cache_inferences_total",
      help: "Inferences made (a request of a batch of N counts N); divided by executions: the batch efficiency",
      labelNames: MODEL,
    });
    this.executionCount = new SeriesCounter(registry, { name: "model_cache_executions_total", help: "Model executions (a batch counts once)", labelNames: MODEL });
    this.requestDuration = new SeriesHistogram(registry, {
      name: "model_cache_request_duration_seconds",
      help: "Whole request duration inside the service, by outcome",
      labelNames: [...MODEL, "outcome"],
      buckets: REQUEST_BUCKETS,
    });
    this.queueDuration = new SeriesHistogram(registry, {
      name: "model_cache_queue_duration_seconds",
      help: "Time a successful request waited before its model ran (first-use load, batch queue)",
      labelNames: MODEL,
      buckets: REQUEST_BUCKETS,
    });
    this.computeDuration = new SeriesHistogram(registry, {
      name: "model_cache_compute_duration_seconds",
      help: "Time per execution stage: input (decoding the request), infer (the model call), output (encoding the answer)",
      labelNames: [...MODEL, "stage"],
      buckets: REQUEST_BUCKETS,
    });
    this.hits = new SeriesCounter(registry, { name: "model_cache_hits_total", help: "Lookups that found the model loaded", labelNames: MODEL });
    this.misses = new SeriesCounter(registry, {
      name: "model_cache_misses_total",
      help: "Lookups that did not find the model loaded (first use, failed, unloaded)",
      labelNames: MODEL,
    });
    this.loads = new Counter({ name: "model_cache_loads_total", help: "Successful model loads", labelNames: MODEL, registers });
    this.loadFailures = new Counter({ name: "model_cache_load_failures_total", help: "Failed load attempts", labelNames: MODEL, registers });
    this.loadDuration = new Histogram({
      name: "model_cache_load_duration_seconds",
      help: "Duration of successful model loads",
      labelNames: MODEL,
      buckets: LOAD_BUCKETS,
      registers,
    });
    this.scrapeTimeMetrics(registers);
  }

  /** Tells the scrape where to read model status, memory and hosts. */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  /**
   * The exposition text of every metric. Each model the service knows first gets its counters
   * and histograms at zero: a series that appears with its first request would lose that
   * request to `rate()` and `increase()`, which start counting from a series' first sample.
   */
  async text(): Promise<string> {
    for (const model of this.sources?.models() ?? []) this.seriesOf(model.name, model.version);
    return this.registry.metrics();
  }

  requestStarted(model: string, version: string): void {
    this.seriesOf(model, version).inFlight.value++;
  }

  requestFinished(report: RequestReport): void {
    const series = this.seriesOf(report.model, report.version);
    series.inFlight.value--;
    const seconds = report.totalNs / 1e9;
    if (report.outcome === "success") {
      series.succeeded.value++;
      series.successDuration.observe(seconds);
      series.queue.observe(report.queueNs / 1e9);
      return;
    }
    const labels = { model: report.model, version: report.version, outcome: report.outcome };
    this.requests.series({ ...labels, reason: report.reason ?? "" }).value++;
    this.requestDuration.series(labels).observe(seconds);
  }

  executions(model: string, version: string, batchSize: number, compute: ComputeNs): void {
    const series = this.seriesOf(model, version);
    series.executions.value++;
    series.inferences.value += batchSize;
    series.input.observe(compute.inputNs / 1e9);
    series.infer.observe(compute.inferNs / 1e9);
    series.output.observe(compute.outputNs / 1e9);
  }

  lookup(model: string, version: string, hit: boolean): void {
    const series = this.seriesOf(model, version);
    (hit ? series.hits : series.misses).value++;
  }

  loadFinished(model: string, version: string, ok: boolean, seconds: number): void {
    this.seriesOf(model, version);
    if (!ok) {
      this.loadFailures.inc({ model, version });
      return;
    }
    this.loads.inc({ model, version });
    this.loadDuration.observe({ model, version }, seconds);
  }

  /** The series of one model version, every one of them started at zero on first use. */
  private seriesOf(model: string, version: string): ModelSeries {
    let versions = this.models.get(model);
    if (versions === undefined) this.models.set(model, (versions = new Map()));
    let series = versions.get(version);
    if (series !== undefined) return series;
    const labels = { model, version };
    series = {
      inFlight: this.inFlight.series(labels),
      succeeded: this.requests.series({ ...labels, outcome: "success", reason: "" }),
      successDuration: this.requestDuration.series({ ...labels, outcome: "success" }),
      queue: this.queueDuration.series(labels),
      input: this.computeDuration.series({ ...labels, stage: "input" }),
      infer: this.computeDuration.series({ ...labels, stage: "infer" }),
      output: this.computeDuration.series({ ...labels, stage: "output" }),
      executions: this.executionCount.series(labels),
      inferences: this.inferences.series(labels),
      hits: this.hits.series(labels),
      misses: this.misses.series(labels),
    };
    versions.set(version, series);
    for (const counter of [this.loads, this.loadFailures]) counter.inc(labels, 0);
    this.loadDuration.zero(labels);
    return series;
  }

  private scrapeTimeMetrics(registers: Registry[]): void {
    const metrics = this;
    new Gauge({
      name: "model_cache_model_status",
      help: "1 for the status each model is in, 0 for the others",
      labelNames: [...MODEL, "status"],
      registers,
      collect() {
        this.reset();
        for (const model of metrics.sources?.models() ?? []) {
          for (const status of metrics.sources!.statuses) {
            this.set({ model: model.name, version: model.version, status }, model.status === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: "model_cache_model_memory_bytes",
      help: "Bytes a loaded model holds, as measured at load (registry memory_bytes); 0 when it is not loaded",
      labelNames: MODEL,
      registers,
      collect() {
        this.reset();
        for (const model of metrics.sources?.models() ?? []) this.set({ model: model.name, version: model.version }, model.memoryBytes);
      },
    });
    new Counter({
      name: "model_cache_model_evictions_total",
      help: "Times the memory budget (MODEL_MEMORY_BUDGET_MB) evicted a model to make room for another",
      labelNames: MODEL,
      registers,
      collect() {
        this.reset();
        for (const model of metrics.sources?.models() ?? []) this.inc({ model: model.name, version: model.version }, model.evictions);
      },
    });
    const hosts = async () => (await metrics.sources?.hosts()) ?? [];
    new Gauge({
      name: "model_cache_host_wasm_memory_bytes",
      help: "WebAssembly memory of a model host (it never shrinks; past HOST_MEMORY_LIMIT_MB the host is recycled)",
      labelNames: ["host"],
      registers,
      async collect() {
        this.reset();
        for (const host of await hosts()) this.set({ host: host.name }, host.wasmMemoryBytes);
      },
    });
    // Counters read from the host pool's own tallies at scrape time: reset, then set to the tally.
    const tally = (name: string, help: string, read: (host: HostGauges) => number) =>
      new Counter({
        name,
        help,
        labelNames: ["host"],
        registers,
        async collect() {
          this.reset();
          for (const host of await hosts()) this.inc({ host: host.name }, read(host));
        },
      });
    tally("model_cache_host_restarts_total", "Times a model host's worker died and was started again", (host) => host.restarts);
    tally("model_cache_host_recycles_total", "Times a model host was replaced on purpose (memory limit, admin request)", (host) => host.recycles);
  }
}
