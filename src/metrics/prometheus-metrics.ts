/**
 * The service's Prometheus metrics on one prom-client registry (built by the composition root):
 * per model and version requests, inferences, executions, durations, loads, cache hits and
 * misses, status and memory; per model host WASM memory, restarts and recycles; and prom-client's
 * process metrics. Fed by the observers; status, memory and hosts are read at scrape time.
 * Names and their Triton counterparts: docs/monitoring.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
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

/**
 * @example
 * const metrics = new PrometheusMetrics();
 * metrics.watch({ models: () => [...], hosts: async () => [...], statuses: MODEL_STATUSES });
 * const text = await metrics.registry.metrics();
 */
export class PrometheusMetrics implements InferenceObserver, CacheObserver {
  readonly registry: Registry;
  private sources: MetricSources | undefined;
  private readonly requests: Counter<"model" | "version" | "outcome" | "reason">;
  private readonly inFlight: Gauge<"model" | "version">;
  private readonly inferences: Counter<"model" | "version">;
  private readonly executionCount: Counter<"model" | "version">;
  private readonly requestDuration: Histogram<"model" | "version" | "outcome">;
  private readonly queueDuration: Histogram<"model" | "version">;
  private readonly computeDuration: Histogram<"model" | "version" | "stage">;
  private readonly hits: Counter<"model" | "version">;
  private readonly misses: Counter<"model" | "version">;
  private readonly loads: Counter<"model" | "version">;
  private readonly loadFailures: Counter<"model" | "version">;
  private readonly loadDuration: Histogram<"model" | "version">;

  constructor(options: { registry?: Registry; processMetrics?: boolean } = {}) {
    const registry = (this.registry = options.registry ?? new Registry());
    const registers = [registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
    this.requests = new Counter({
      name: "model_cache_requests_total",
      help: "Requests answered per model and version, by outcome (success, failure) and, for failures, the reason (error code)",
      labelNames: [...MODEL, "outcome", "reason"],
      registers,
    });
    this.inFlight = new Gauge({ name: "model_cache_requests_in_flight", help: "Requests being answered now", labelNames: MODEL, registers });
    this.inferences = new Counter({
      name: "model_cache_inferences_total",
      help: "Inferences made (a request of a batch of N counts N); divided by executions: the batch efficiency",
      labelNames: MODEL,
      registers,
    });
    this.executionCount = new Counter({ name: "model_cache_executions_total", help: "Model executions (a batch counts once)", labelNames: MODEL, registers });
    this.requestDuration = new Histogram({
      name: "model_cache_request_duration_seconds",
      help: "Whole request duration inside the service, by outcome",
      labelNames: [...MODEL, "outcome"],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.queueDuration = new Histogram({
      name: "model_cache_queue_duration_seconds",
      help: "Time a successful request waited before its model ran (first-use load, batch queue)",
      labelNames: MODEL,
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.computeDuration = new Histogram({
      name: "model_cache_compute_duration_seconds",
      help: "Time per execution stage: input (decoding the request), infer (the model call), output (encoding the answer)",
      labelNames: [...MODEL, "stage"],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.hits = new Counter({ name: "model_cache_hits_total", help: "Lookups that found the model loaded", labelNames: MODEL, registers });
    this.misses = new Counter({
      name: "model_cache_misses_total",
      help: "Lookups that did not find the model loaded (first use, failed, unloaded)",
      labelNames: MODEL,
      registers,
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
    for (const model of this.sources?.models() ?? []) this.startSeries(model.name, model.version);
    return this.registry.metrics();
  }

  requestStarted(model: string, version: string): void {
    this.startSeries(model, version);
    this.inFlight.inc({ model, version });
  }

  requestFinished(report: RequestReport): void {
    this.startSeries(report.model, report.version);
    const labels = { model: report.model, version: report.version };
    this.inFlight.dec(labels);
    this.requests.inc({ ...labels, outcome: report.outcome, reason: report.reason ?? "" });
    this.requestDuration.observe({ ...labels, outcome: report.outcome }, report.totalNs / 1e9);
    if (report.outcome === "success") this.queueDuration.observe(labels, report.queueNs / 1e9);
  }

  executions(model: string, version: string, batchSize: number, compute: ComputeNs): void {
    this.startSeries(model, version);
    const labels = { model, version };
    this.executionCount.inc(labels);
    this.inferences.inc(labels, batchSize);
    this.computeDuration.observe({ ...labels, stage: "input" }, compute.inputNs / 1e9);
    this.computeDuration.observe({ ...labels, stage: "infer" }, compute.inferNs / 1e9);
    this.computeDuration.observe({ ...labels, stage: "output" }, compute.outputNs / 1e9);
  }

  lookup(model: string, version: string, hit: boolean): void {
    this.startSeries(model, version);
    (hit ? this.hits : this.misses).inc({ model, version });
  }

  loadFinished(model: string, version: string, ok: boolean, seconds: number): void {
    this.startSeries(model, version);
    if (!ok) {
      this.loadFailures.inc({ model, version });
      return;
    }
    this.loads.inc({ model, version });
    this.loadDuration.observe({ model, version }, seconds);
  }

  /** Models whose series exist; each is zeroed once, before its first event. */
  private readonly started = new Set<string>();

  private startSeries(model: string, version: string): void {
    const key = `${model}\u0000${version}`;
    if (this.started.has(key)) return;
    this.started.add(key);
    const labels = { model, version };
    for (const counter of [this.inferences, this.executionCount, this.hits, this.misses, this.loads, this.loadFailures]) counter.inc(labels, 0);
    this.requests.inc({ ...labels, outcome: "success", reason: "" }, 0);
    this.requestDuration.zero({ ...labels, outcome: "success" });
    this.queueDuration.zero(labels);
    for (const stage of ["input", "infer", "output"]) this.computeDuration.zero({ ...labels, stage });
    this.loadDuration.zero(labels);
    this.inFlight.inc(labels, 0);
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
