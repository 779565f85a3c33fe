import { mkdir } from "node:fs/promises";
import { runtime } from "#runtime";
import type { RunningServer } from "../runtime/runtime-api.ts";
import { Tokens } from "../auth/tokens.ts";
import { LexiconBackend } from "../backends/lexicon-backend.ts";
import { OnnxBackend } from "../backends/onnx-backend.ts";
import { ProphetBackend } from "../backends/prophet-backend.ts";
import { TransformerBackend } from "../backends/transformer-backend.ts";
import { ModelCache } from "../cache/model-cache.ts";
import { ModelRouter } from "../routing/model-router.ts";
import type { ModelBackend } from "../cache/model-types.ts";
import type { Config } from "../config/config.ts";
import { discoverModels, type Discovery } from "../discovery/discover-models.ts";
import { readManifest, type Manifest } from "../discovery/manifest.ts";
import type { RuntimeOptions } from "../host/host-protocol.ts";
import { HostPool } from "../host/host-pool.ts";
import { buildApp, type App } from "../http/app.ts";
import { LazyModelLoader } from "../loaders/lazy-model-loader.ts";
import { ModelLoader } from "../loaders/model-loader.ts";
import { Logger } from "../logging/logger.ts";
import { SentimentService } from "../sentiment/sentiment-service.ts";
import { clearRunningService, setRunningService } from "./running-service.ts";
import { withTimeout } from "../util/with-timeout.ts";
import { ConfigError } from "../config/config-error.ts";
import { UnavailableError } from "../errors/app-error.ts";
import { handleHostIncident } from "./handle-host-incident.ts";
import { FolderWatcher } from "../watch/folder-watcher.ts";
import { snapshotFolder } from "../watch/folder-snapshot.ts";
import { Telemetry } from "../metrics/telemetry.ts";
import { ExecutionHosts } from "../backends/execution-hosts.ts";
import { BatchingPolicy } from "../batching/batching-policy.ts";
import { BatchingStats } from "../batching/batch-stats.ts";
import { isHostFailure } from "../host/host-errors.ts";
import type { WorkerHandle } from "../runtime/runtime-api.ts";
import { nativeChannel, nativeHostEnv } from "../host/native/native-channel.ts";
import { discardPrestartedNativeHost, nativeMinBytes, nativeModelsAtStart, takePrestartedNativeHost } from "../host/native/native-prestart.ts";
import { nativeUnsupportedReason } from "../host/native/native-support.ts";
import { MODEL_STATUSES } from "../cache/model-types.ts";
import type { ClusterFace } from "../cluster/cluster-face.ts";
import { clusterFace, clusterWatchedCache, hostName, joinCluster, type JoinedCluster } from "./cluster-setup.ts";

/** What a service is built from besides its configuration. */
export interface ServiceOptions {
  log?: Logger;
  /** Runtime overrides (tests: a broken WASM binary proves the lexicon fallback). */
  runtime?: Partial<RuntimeOptions>;
  /** Worker entry of the model hosts (the single executable passes its embedded one). */
  workerUrl?: string;
  /** Starts the native host (tests: a host that crashes on cue); default: onnxruntime-node in a child process. */
  openNative?: () => WorkerHandle;
  /** Extra or replacement loaders, by model type. */
  backends?: ModelBackend[];
  /**
   * How long a model host has to answer once a call passed INFERENCE_TIMEOUT_MS before it is
   * restarted (default 2000 ms). Tests widen it so that "slow but alive" does not depend on
   * how busy the machine is.
   */
  hostProbeMs?: number;
}

/**
 * The composition root: builds the model hosts, loaders, cache, sentiment service and HTTP app
 * from one parsed configuration, and owns start and graceful stop.
 *
 * @example
 * const service = await ModelService.create(parseConfig());
 * await service.start();        // listens, loads every model in the background, watches the folder
 * await service.stop();         // drains requests, unloads models, stops workers
 */
export class ModelService {
  readonly cache: ModelCache;
  /** Versions, default versions and A/B routing between the HTTP face and the cache. */
  readonly router: ModelRouter;
  readonly loader: ModelLoader;
  readonly lazyLoader: LazyModelLoader;
  readonly sentiment: SentimentService;
  readonly tokens: Tokens;
  readonly hosts: HostPool;
  /** Follows the models folder (`WATCH_MODELS`). */
  readonly watcher: FolderWatcher;
  /** Statistics, latency and Prometheus metrics. */
  readonly telemetry: Telemetry;
  /** Where ONNX and transformer models run (ONNX_BACKEND and what this machine allows). */
  readonly execution: ExecutionHosts;
  /** Dynamic batching settings and statistics (`batching.stats` is what a metrics exporter reads). */
  readonly batching: BatchingPolicy;
  readonly app: App;
  /** Cluster mode (`CLUSTER_REDIS_URL`): membership, placement, cluster-wide admin, forwarding. */
  readonly cluster: ClusterFace | undefined;
  /** The first load of every model; settles when it is done. */
  loading: Promise<unknown> = Promise.resolve();
  private server: RunningServer | undefined;
  private readonly startNativeEarly: boolean;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: Config,
    readonly log: Logger,
    manifest: Manifest,
    discovery: Discovery,
    baseline: Map<string, string> | undefined,
    options: ServiceOptions,
    joined: JoinedCluster | undefined,
  ) {
    this.tokens = new Tokens({ admin: config.adminToken, inference: config.inferenceToken, metrics: config.metricsToken });
    this.telemetry = new Telemetry({ prometheus: config.metrics });
    const runtime: RuntimeOptions = {
      numThreads: config.wasmThreads,
      cacheDir: config.cacheDir,
      allowRemoteModels: config.allowRemoteModels,
      ...options.runtime,
    };
    const unsupported = config.onnxBackend === "wasm" || options.openNative !== undefined ? undefined : nativeUnsupportedReason();
    const withNative = config.onnxBackend !== "wasm" && unsupported === undefined;
    const minNativeBytes = nativeMinBytes(config);
    // The models the native host will hold at start (models too small for it run on WASM).
    const nativeAtStart = nativeModelsAtStart(discovery.specs, minNativeBytes);
    // The native host starts with the service, not with the first load, when a model will need it.
    this.startNativeEarly = withNative && nativeAtStart.length > 0;
    if (!this.startNativeEarly) discardPrestartedNativeHost();
    this.hosts = new HostPool({
      size: config.modelHosts,
      runtime,
      ...(withNative && {
        native: {
          open: options.openNative ?? (() => takePrestartedNativeHost() ?? nativeChannel(undefined, [], nativeHostEnv(config.cacheDir))),
          runtime: {
            ...runtime,
            numThreads: config.nativeThreads,
            // transformers.js takes a second to import: the host does it while onnxruntime starts.
            preloadTransformers: nativeAtStart.some((spec) => spec.modelType === "transformer"),
          },
        },
      }),
      log,
      memoryLimit: config.hostMemoryLimitMb * 2 ** 20,
      loadDeadlineMs: config.loadTimeoutMs,
      callDeadlineMs: config.inferenceTimeoutMs,
      ...(options.hostProbeMs !== undefined && { probeMs: options.hostProbeMs }),
      ...(options.workerUrl !== undefined && { workerUrl: options.workerUrl }),
    });
    this.execution = new ExecutionHosts(this.hosts, config.onnxBackend, log, unsupported, minNativeBytes);
    this.batching = new BatchingPolicy({ maxBatch: config.maxBatch, maxDelayMs: config.batchMaxDelayMs, maxRunMs: config.batchMaxRunMs, stats: new BatchingStats(), isRuntimeFailure: isHostFailure });
    const backends: ModelBackend[] = [
      new OnnxBackend(this.execution, this.batching),
      new TransformerBackend(this.execution, this.batching),
      new LexiconBackend(this.hosts, this.batching),
      new ProphetBackend(this.hosts),
      ...(options.backends ?? []),
    ];
    let current = manifest;
    let router: ModelRouter | undefined;
    this.cache = new ModelCache({
      backends,
      loadConcurrency: config.loadConcurrency,
      loadTimeoutMs: config.loadTimeoutMs,
      loadRetries: config.loadRetries,
      ...(config.memoryBudgetMb !== undefined && { memoryBudgetBytes: config.memoryBudgetMb * 2 ** 20 }),
      retryDelayMs: (attempt) => config.loadRetryDelayMs * 2 ** (attempt - 1),
      log,
      // In cluster mode the requests each model serves here also drive placement.
      observer: joined === undefined ? this.telemetry.cacheObserver : joined.node.rate.observing(this.telemetry.cacheObserver),
      latency: (model, version) => this.telemetry.statistics.latency(model, version),
      discover: async () => {
        // A manifest that became invalid since start keeps the last good one in force.
        current = await readManifest(config.modelsDir).catch((error: Error) => {
          log.error(`${error.message}; keeping the previous manifest`);
          return current;
        });
        try {
          const found = await discoverModels({ ...config, manifest: current, checkPreload: false });
          return joined === undefined ? found : joined.defer(found);
        } catch (error) {
          // At start this stops the service; later, a folder that cannot be read is a 503.
          if (error instanceof ConfigError) throw new UnavailableError(`The models folder cannot be scanned: ${error.message}`, "models_dir_unreadable");
          throw error;
        }
      },
      // Every discovery (start, rescans, full reloads, the folder watcher) updates the groups.
      onDiscovery: (found) => router?.apply(found),
    });
    this.router = router = new ModelRouter(this.cache, { shadowMaxInFlight: config.shadowMaxInFlight, log });
    this.cache.register(discovery);
    this.cluster = joined === undefined ? undefined : clusterFace(joined, this.cache, this.router, config, log);
    this.hosts.onIncident = (incident) => void handleHostIncident(this.cache, incident, log);
    this.sentiment = new SentimentService(this.cache, config.sentimentModel, log, this.telemetry.inferenceObserver, (name) => this.router.defaultId(name));
    this.telemetry.prometheus?.watch({
      statuses: MODEL_STATUSES,
      models: () =>
        this.cache.getRegistry().models.map((entry) => ({
          name: entry.name,
          version: entry.version,
          status: entry.status,
          memoryBytes: entry.status === "loaded" ? (entry.memory_bytes ?? entry.size_bytes ?? 0) : 0,
          evictions: entry.eviction_count ?? 0,
        })),
      hosts: async () =>
        (await this.hosts.describe()).map((host) => ({
          name: host.name,
          wasmMemoryBytes: host.wasm_memory_bytes,
          restarts: host.restarts,
          recycles: host.recycles,
        })),
    });
    this.loader = new ModelLoader(this.cache, this.sentiment);
    this.lazyLoader = new LazyModelLoader(this.cache, this.sentiment, log);
    this.watcher = new FolderWatcher({
      cache: this.cluster === undefined ? this.cache : clusterWatchedCache(this.cache, this.cluster.node),
      modelsDir: config.modelsDir,
      skip: [config.cacheDir],
      enabled: config.watchModels,
      mode: config.watchMode,
      settleMs: config.watchSettleMs,
      pollMs: config.watchPollMs,
      log,
      ...(baseline !== undefined && { baseline }),
    });
    this.app = buildApp({
      config,
      cache: this.cache,
      router: this.router,
      sentiment: this.sentiment,
      tokens: this.tokens,
      hosts: this.hosts,
      watcher: this.watcher,
      log,
      telemetry: this.telemetry,
      batching: this.batching.stats,
      ...(this.cluster !== undefined && { cluster: this.cluster }),
    });
  }

  /**
   * Builds a service. Reads the models manifest once (a bad manifest stops here, naming the
   * key) and checks that `PRELOAD` names existing models.
   */
  static async create(config: Config, options: ServiceOptions = {}): Promise<ModelService> {
    const log = options.log ?? new Logger({ level: config.logLevel, format: config.logFormat });
    // The watcher compares later scans with the folder as it was before discovery read it.
    const baseline = config.watchModels ? (await snapshotFolder(config.modelsDir, [config.cacheDir]).catch(() => undefined))?.entries : undefined;
    const manifest = await readManifest(config.modelsDir);
    const discovery = await discoverModels({ ...config, manifest });
    // Cluster mode joins before the first load: placement decides which models load here.
    const joined = config.cluster === undefined ? undefined : await joinCluster(config, discovery, log);
    return new ModelService(config, log, manifest, joined?.discovery ?? discovery, baseline, options, joined);
  }

  /** The port the server listens on (after `start`). */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** Listens first, then loads every preloaded model in the background. */
  async start(): Promise<void> {
    const { config, log } = this;
    // A failure here is met again, and handled, by the first load that asks for the host.
    if (this.startNativeEarly) void this.hosts.nativeHost().catch(() => undefined);
    if (config.allowRemoteModels) await mkdir(config.cacheDir, { recursive: true });
    this.server = runtime.serve(this.app, { port: config.port, hostname: config.host });
    setRunningService(this);
    this.cluster?.node.start(this.server.port, config.host, hostName());
    log.info(`model-cache listening on http://${config.host}:${this.port} (docs: /swagger)`, { models_dir: config.modelsDir });
    if (this.tokens.adminGenerated) {
      log.info(`No ADMIN_TOKEN set; generated one for this run: ${this.tokens.admin}`);
    }
    this.loading = this.loadInBackground();
    this.watcher.start(this.loading);
  }

  /**
   * Graceful stop, within SHUTDOWN_GRACE_MS: readiness turns 503, the server stops accepting
   * connections and lets the requests in flight finish, every model is released, then every
   * worker is stopped — at the deadline whatever is still running (a request, a load, a hung
   * model call), which fails its calls.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const { log, config } = this;
      const deadline = performance.now() + config.shutdownGraceMs;
      const left = () => Math.max(0, deadline - performance.now());
      const within = (job: Promise<unknown>) => withTimeout(job, left(), "shutdown").then(() => true, () => false);
      log.info("Shutting down: draining requests in flight");
      // Leave the cluster first: the others stop forwarding here and place this replica's models elsewhere.
      if (this.cluster !== undefined) await within(this.cluster.node.stop());
      this.watcher.stop();
      this.cache.beginDrain();
      if (this.server !== undefined && !(await within(this.server.stop(false)))) {
        log.warn(`Requests still in flight after ${config.shutdownGraceMs} ms; closing their connections`);
        void this.server.stop(true);
      }
      if (!(await within(this.cache.stop()))) {
        log.warn("Models still busy at the end of SHUTDOWN_GRACE_MS; stopping their hosts");
      }
      await this.hosts.stop();
      clearRunningService(this);
      log.info("Stopped: every model unloaded and every model host released");
    })();
    return this.stopping;
  }

  private async loadInBackground(): Promise<void> {
    const started = performance.now();
    try {
      const summary = await this.cache.loadAll();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      this.log.info(
        `Loaded ${summary.loaded.length} models in ${seconds} s` +
          (summary.failed.length > 0 ? `; failed: ${summary.failed.join(", ")}` : "") +
          (summary.skipped.length > 0 ? `; skipped (load on first use): ${summary.skipped.join(", ")}` : ""),
      );
    } catch (error) {
      this.log.error(`Loading models failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
