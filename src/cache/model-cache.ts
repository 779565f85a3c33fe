import { UnavailableError } from "../errors/app-error.ts";
import { modelNotFound } from "../errors/model-not-found.ts";
import type { Logger } from "../logging/logger.ts";
import { silentLogger } from "../logging/logger.ts";
import { Limiter } from "../util/limiter.ts";
import type { Discovery } from "../discovery/discover-models.ts";
import { RecordLoader } from "./record-loader.ts";
import { applyDiscovery } from "./apply-discovery.ts";
import { ModelRecord, type LoadOutcome, type RegistryEntry } from "./model-record.ts";

export type { LoadOutcome } from "./model-record.ts";
import { modelNameOf, type ModelBackend, type ModelSpec, type ModelStatus, type ModelType } from "./model-types.ts";
import { describeHealth, type Health } from "./health.ts";
import { MemoryBudget, type MemorySummary } from "./memory-budget.ts";

/** Statuses in which a request loads the model and waits for it. */
const LOADS_ON_USE: readonly ModelStatus[] = ["skipped", "pending", "loading", "evicted"];
import { silentCacheObserver, type CacheObserver, type LatencyReader } from "./cache-observer.ts";

/** What a ModelCache is built from. */
export interface ModelCacheOptions {
  /** Finds the models to register; called by `loadAll()` and by a full `reload()`. */
  discover?: () => Promise<Discovery>;
  /** Loaders by model type. */
  backends: Iterable<ModelBackend>;
  /** How many models load at once (default 4). */
  loadConcurrency?: number;
  /** Time limit of one load attempt, ms (default 120000). */
  loadTimeoutMs?: number;
  /** Extra attempts after a failure (default 0). */
  loadRetries?: number;
  retryDelayMs?: (attempt: number) => number;
  log?: Logger;
  /** Unix time in seconds (tests may fix it). */
  now?: () => number;
  /** Memory the loaded models may hold together, bytes (`MODEL_MEMORY_BUDGET_MB`); default: no limit. */
  memoryBudgetBytes?: number;
  /** Told of every lookup and load attempt (metrics, statistics). */
  observer?: CacheObserver;
  /** Each model's recent latency, shown in the registry. */
  latency?: LatencyReader;
  /**
   * Called with every discovery once its records are registered (at start, on rescans and full
   * reloads): the router learns each model's versions, default and routing from it.
   */
  onDiscovery?: (discovery: Discovery) => void;
}

/** Names by outcome. */
export interface LoadSummary {
  loaded: string[];
  failed: string[];
  skipped: string[];
}

/** A model in use by one request; call `release()` when the request is done with it. */
export interface ModelLease<T = unknown> {
  name: string;
  version: string;
  modelType: ModelType;
  model: T;
  release(): void;
}

/** Options of `setModel`. */
export interface SetModelOptions {
  modelType?: ModelType;
  version?: string;
  /** Seconds it took to make the model, shown in the registry. */
  loadDuration?: number;
}

/** The registry as JSON. */
export interface Registry {
  is_loaded: boolean;
  total_models: number;
  loaded_models: number;
  failed_models: number;
  skipped_models: number;
  /** Models evicted to stay within the memory budget (they load again on their next request). */
  evicted_models: number;
  /** The memory budget, and what the loaded models hold. */
  memory: MemorySummary;
  models: RegistryEntry[];
}

/**
 * The model cache: one per service. It registers the models discovery finds, loads the
 * preloaded ones concurrently (bounded, each with a time limit), keeps each model's status,
 * timings, version, error and use counters, and hands out loaded models to requests. A reload
 * loads a new instance behind the one serving and swaps only on success; the old instance is
 * released after its last request.
 *
 * @example
 * const cache = new ModelCache({ discover, backends: [onnxBackend, lexiconBackend] });
 * await cache.loadAll();
 * const lease = await cache.acquire("iris_classifier");
 * try { … } finally { lease.release(); }
 */
export class ModelCache {
  private readonly records = new Map<string, ModelRecord>();
  private readonly log: Logger;
  private readonly now: () => number;
  private initialLoad: Promise<LoadSummary> | undefined;
  private finishedInitialLoad = false;
  private stopping = false;
  private draining = false;
  private readonly reloads = new Map<string, Promise<LoadSummary>>();
  private readonly loader: RecordLoader;
  private readonly memory: MemoryBudget;
  private readonly observer: CacheObserver;

  constructor(private readonly options: ModelCacheOptions) {
    const backends = new Map<ModelType, ModelBackend>();
    for (const backend of options.backends) backends.set(backend.modelType, backend);
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.memory = new MemoryBudget({
      limitBytes: options.memoryBudgetBytes,
      records: () => this.records.values(),
      waitMs: options.loadTimeoutMs ?? 120_000,
      isStopping: () => this.stopping,
      log: this.log,
      now: this.now,
    });
    this.observer = options.observer ?? silentCacheObserver;
    this.loader = new RecordLoader({
      backends,
      policy: {
        limiter: new Limiter(options.loadConcurrency ?? 4),
        timeoutMs: options.loadTimeoutMs ?? 120_000,
        retries: options.loadRetries ?? 0,
        ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
      },
      log: this.log,
      now: this.now,
      observer: this.observer,
      isStopping: () => this.stopping,
      isRegistered: (record) => this.records.get(record.name) === record,
      memory: this.memory,
    });
  }

  /** True once the first `loadAll()` has finished (whatever its outcome). */
  get isLoaded(): boolean {
    return this.finishedInitialLoad;
  }

  /** True while the service shuts down. */
  get isStopping(): boolean {
    return this.stopping;
  }

  get loadedModels(): string[] {
    return this.namesWith("loaded");
  }
  get failedModels(): string[] {
    return this.namesWith("failed");
  }
  get skippedModels(): string[] {
    return this.namesWith("skipped");
  }

  /** Names of every registered model, sorted. */
  get modelNames(): string[] {
    return [...this.records.keys()].sort();
  }

  /**
   * Discovers the models and loads every preloaded one concurrently. Calling it again while it
   * runs returns the same run; after it finished, it loads what is not loaded yet.
   */
  loadAll(): Promise<LoadSummary> {
    if (this.initialLoad !== undefined && !this.finishedInitialLoad) return this.initialLoad;
    this.initialLoad = (async () => {
      try {
        await this.refresh();
        const preloads = [...this.records.values()].filter(
          (record) => record.spec.preload && record.live === undefined && record.status !== "loading",
        );
        const toLoad = await this.memory.choosePreloads(preloads);
        // Loads never reject (an outcome says how each went): the last wave starts once the first is over.
        const wave = (last: boolean) => Promise.all(toLoad.filter((record) => (record.spec.preloadLast === true) === last).map((record) => this.loader.load(record)));
        await wave(false);
        await wave(true);
        return this.summary();
      } finally {
        this.finishedInitialLoad = true;
      }
    })();
    return this.initialLoad;
  }

  /**
   * Reloads models from disk: the named ones, or (no names) every model after looking for new
   * and removed files. Serving goes on from the old instances meanwhile; a failed reload keeps
   * the old instance, and the model is counted as failed in the answer (the attempt failed,
   * whatever still serves). Two identical reloads at once share one run.
   */
  reload(names?: string[]): Promise<LoadSummary> {
    const key = names === undefined ? "*" : [...new Set(names)].sort().join("\n");
    const running = this.reloads.get(key);
    if (running !== undefined) return running;
    const run = (async () => {
      let records: ModelRecord[];
      if (names === undefined) {
        // Everything from the folder that is loaded, failed or new; not custom models, not ones
        // left to load on first use, not ones unloaded on purpose.
        const added = await this.refresh();
        records = [...this.records.values()].filter(
          (record) =>
            record.spec.modelType !== "custom" &&
            (added.has(record.name) ? record.spec.preload : !["skipped", "unloaded", "evicted"].includes(record.status)),
        );
      } else {
        records = [...new Set(names)].map((name) => this.record(name));
      }
      const outcomes = await Promise.all(records.map(async (record) => ({ name: record.name, ...(await this.loader.reload(record)) })));
      const named = (ok: boolean) => outcomes.filter((outcome) => outcome.ok === ok).map((outcome) => outcome.name).sort();
      return { loaded: named(true), failed: named(false), skipped: [] };
    })().finally(() => this.reloads.delete(key));
    this.reloads.set(key, run);
    return run;
  }

  /** Looks for new and removed models in the models folder without loading anything. */
  async rescan(): Promise<void> {
    await this.refresh();
  }

  /**
   * Registers what a discovery found, without loading: the registry lists every model (as
   * `pending` or `skipped`) from the moment the service listens.
   */
  register(discovery: Discovery): void {
    applyDiscovery(this.records, discovery, this.finishedInitialLoad, this.log);
    this.options.onDiscovery?.(discovery);
  }

  /**
   * Loads one model (reloads it when loaded). Says whether this load succeeded, with the entry
   * as this load left it (a later unload queued behind it does not change the answer).
   */
  async loadModel(name: string): Promise<LoadOutcome> {
    return this.loader.reload(this.record(name));
  }

  /** Unloads one model; its requests in flight finish first. */
  async unloadModel(name: string): Promise<RegistryEntry> {
    const record = this.record(name);
    await record.ops.run(async () => {
      const previous = record.takeInstance();
      record.status = "unloaded";
      await previous?.retire();
    });
    this.log.info(`Unloaded model "${name}"`, { model: name });
    return record.toJSON();
  }

  /** Unloads every model and waits until each instance is released. */
  async unloadAll(): Promise<void> {
    await Promise.all(
      [...this.records.values()].map((record) =>
        record.ops.run(async () => {
          const previous = record.takeInstance();
          if (record.status === "loaded") record.status = "unloaded";
          await previous?.retire();
        }),
      ),
    );
  }

  /** Shutdown has begun: readiness turns false, requests in flight and new ones still run. */
  beginDrain(): void {
    this.draining = true;
  }

  /**
   * Shutdown: takes no new work and releases every instance once its requests finish. Loads
   * still running are not awaited; they dispose what they make when they finish.
   */
  async stop(): Promise<void> {
    this.draining = true;
    this.stopping = true;
    const retiring: Promise<void>[] = [];
    for (const record of this.records.values()) {
      const previous = record.takeInstance();
      if (record.status === "loaded") record.status = "unloaded";
      if (previous !== undefined) retiring.push(previous.retire());
    }
    await Promise.all(retiring);
  }

  /**
   * The loaded model `name`, or `undefined` when it is not loaded. Counts a hit or a miss.
   * For use by code that keeps no lease; requests should use {@link acquire}.
   */
  getModel<T = unknown>(name: string): T | undefined {
    const record = this.records.get(name);
    if (record === undefined) return undefined;
    const hit = record.count();
    this.observer.lookup(modelNameOf(record.spec), record.spec.version, hit, 0);
    return hit ? (record.live!.model as T) : undefined;
  }

  /**
   * Registers a model made elsewhere (seed: `set_model`). It replaces any instance of that name,
   * which is released once idle.
   */
  setModel(name: string, model: unknown, options: SetModelOptions = {}): void {
    const existing = this.records.get(name);
    const spec: ModelSpec = existing?.spec ?? {
      name,
      modelType: options.modelType ?? "custom",
      version: options.version ?? "1.0.0",
      required: false,
      preload: false,
    };
    if (options.modelType !== undefined) spec.modelType = options.modelType;
    if (options.version !== undefined) spec.version = options.version;
    const record = existing ?? new ModelRecord(spec);
    this.records.set(name, record);
    const previous = record.install(model, this.now(), options.loadDuration ?? 0);
    this.observer.loadFinished(modelNameOf(spec), spec.version, true, options.loadDuration ?? 0);
    void previous?.retire();
  }

  /**
   * Takes a lease on a loaded model for the length of one request. A model registered as
   * `skipped` is loaded now (first use); concurrent first uses share one load.
   * Throws NotFoundError for an unknown name, UnavailableError when it cannot be served.
   */
  async acquire<T = unknown>(name: string): Promise<ModelLease<T>> {
    const record = this.records.get(name);
    if (record === undefined) throw modelNotFound(name);
    if (this.stopping) throw new UnavailableError("The service is shutting down", "shutting_down");
    const hit = record.count();
    const version = record.spec.version;
    const started = performance.now();
    // First use of a model set to load on first use, evicted, or whose load is under way: wait for
    // it. Loaded, it may be evicted again before this request gets it (other loads needed the
    // room): then it loads again, a few times at most.
    if (!hit) {
      for (let round = 0; round < 3 && LOADS_ON_USE.includes(record.status); round++) await this.loader.load(record);
    }
    this.observer.lookup(modelNameOf(record.spec), version, hit, hit ? 0 : (performance.now() - started) * 1e6);
    const live = record.live;
    if (record.status !== "loaded" || live === undefined) {
      const why = record.status === "failed" ? `failed to load: ${record.error}` : `is ${record.status}`;
      throw new UnavailableError(`Model "${name}" is not ready: it ${why}`, "model_not_ready");
    }
    const release = live.lease();
    return { name, version: record.spec.version, modelType: record.spec.modelType, model: live.model as T, release };
  }

  /** Loads a `skipped` or `unloaded` model if needed and waits for it. */
  async ensureLoaded(name: string): Promise<RegistryEntry> {
    const record = this.record(name);
    if (record.live === undefined) await this.loader.load(record);
    return record.toJSON();
  }

  /** The registry entry of one model, if registered. */
  entry(name: string): RegistryEntry | undefined {
    return this.records.get(name)?.toJSON();
  }

  /** Type, status and spec of one model, if registered. */
  spec(name: string): Readonly<ModelSpec> | undefined {
    return this.records.get(name)?.spec;
  }

  /** Status of one model, if registered (cheaper than `entry` on a request's path). */
  status(name: string): ModelStatus | undefined {
    return this.records.get(name)?.status;
  }

  /** The whole registry as JSON. */
  getRegistry(): Registry {
    const latency = this.options.latency;
    const models = this.modelNames.map((name) => {
      const entry = this.records.get(name)!.toJSON();
      // Measured under the model's name and version (`iris`, `2`), as requests report them.
      if (latency !== undefined) entry.latency = latency(entry.name, entry.version);
      return entry;
    });
    return {
      is_loaded: this.isLoaded,
      total_models: models.length,
      loaded_models: models.filter((model) => model.status === "loaded").length,
      failed_models: models.filter((model) => model.status === "failed").length,
      skipped_models: models.filter((model) => model.status === "skipped").length,
      evicted_models: models.filter((model) => model.status === "evicted").length,
      memory: this.memory.summary(),
      models,
    };
  }

  /** Health as the health endpoint reports it. */
  health(): Health {
    return describeHealth([...this.records.values()].map((record) => record.toJSON()), {
      isLoaded: this.isLoaded,
      stopping: this.draining,
    });
  }

  /** Ready for traffic: the first load finished and every required model is loaded. */
  isReady(): boolean {
    if (!this.isLoaded || this.draining) return false;
    return [...this.records.values()].every((record) => !record.spec.required || record.status === "loaded");
  }

  /** Names of the models whose current instance satisfies `test` (a model on a given worker, say). */
  namesServedBy(test: (model: unknown) => boolean): string[] {
    return this.modelNames.filter((name) => {
      const live = this.records.get(name)!.live;
      return live !== undefined && test(live.model);
    });
  }

  /** Records an incident (a host recycled under them, say) as the models' `last_error`. */
  noteIncident(names: string[], message: string): void {
    for (const name of names) {
      const record = this.records.get(name);
      if (record !== undefined) record.lastError = { message, at: this.now() };
    }
  }

  /**
   * Reloads the models whose instances were lost (their host crashed), keeping each record's
   * counters and marking the incident. Used by the host supervisor.
   */
  async recover(names: string[], incident: string): Promise<void> {
    const records = names.flatMap((name) => this.records.get(name) ?? []);
    for (const record of records) {
      record.lastError = { message: incident, at: this.now() };
      const lost = record.takeInstance();
      void lost?.retire();
      if (record.status === "loaded") record.status = "pending";
    }
    await Promise.all(records.map((record) => this.loader.load(record)));
  }

  private record(name: string): ModelRecord {
    const record = this.records.get(name);
    if (record === undefined) throw modelNotFound(name);
    return record;
  }

  private namesWith(status: string): string[] {
    return this.modelNames.filter((name) => this.records.get(name)!.status === status);
  }

  private summary(): LoadSummary {
    return this.summaryOf([...this.records.values()]);
  }

  private summaryOf(records: ModelRecord[]): LoadSummary {
    const names = (status: string) => records.filter((record) => record.status === status).map((record) => record.name).sort();
    return { loaded: names("loaded"), failed: names("failed"), skipped: names("skipped") };
  }

  /**
   * Registers what discovery finds: new models are added, vanished ones unloaded and dropped.
   * Returns the names added.
   */
  private async refresh(): Promise<Set<string>> {
    if (this.options.discover === undefined) return new Set();
    const discovery = await this.options.discover();
    const added = applyDiscovery(this.records, discovery, this.finishedInitialLoad, this.log);
    this.options.onDiscovery?.(discovery);
    return added;
  }
}
