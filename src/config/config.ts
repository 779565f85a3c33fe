import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "./config-error.ts";
import { readCorsOrigins, type CorsOrigins } from "./cors-origins.ts";
import { readClusterConfig, type ClusterConfig } from "./cluster-config.ts";
import {
  readChoice,
  readFlag,
  readInteger,
  readNameList,
  readText,
  type RawSettings,
} from "./parse-setting.ts";

/** Log levels, most verbose first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where ONNX and transformer models run: native onnxruntime-node when it can, or always one of them. */
export const ONNX_BACKENDS = ["auto", "native", "wasm"] as const;
export type OnnxBackendChoice = (typeof ONNX_BACKENDS)[number];

/** Log line formats. */
export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How the models folder is watched: file-system events plus a safety poll, events only, or polling only. */
export const WATCH_MODES = ["auto", "events", "poll"] as const;
export type WatchMode = (typeof WATCH_MODES)[number];

/** The service's settings, parsed and checked once at start. */
export interface Config {
  /** TCP port (`PORT`, default 3000; 0 picks a free one). */
  port: number;
  /** Interface to listen on (`HOST`, default 0.0.0.0). */
  host: string;
  /** Absolute path of the models folder (`MODELS_DIR`, default ./models). */
  modelsDir: string;
  /** Absolute path of the transformers cache (`MODEL_CACHE_DIR`, default <MODELS_DIR>/cache). */
  cacheDir: string;
  /** Version of a model that declares none (`MODEL_VERSION`, default 1.0.0). */
  defaultVersion: string;
  /** Names loaded at start (`PRELOAD`); `undefined` means every model. */
  preload: string[] | undefined;
  /** How many models load at once (`LOAD_CONCURRENCY`, default 4). */
  loadConcurrency: number;
  /** Time limit of one model's load (`LOAD_TIMEOUT_MS`, default 120000). */
  loadTimeoutMs: number;
  /** Extra attempts after a failed load (`LOAD_RETRIES`, default 0). */
  loadRetries: number;
  /** Pause before the first retry, doubled for each next one (`LOAD_RETRY_DELAY_MS`, default 500). */
  loadRetryDelayMs: number;
  /** Bearer token of the admin routes (`ADMIN_TOKEN`); `undefined`: one is generated at start. */
  adminToken: string | undefined;
  /** Bearer token required by inference and registry routes (`INFERENCE_TOKEN`), if set. */
  inferenceToken: string | undefined;
  /** `LOG_LEVEL`: debug, info (default), warn, error, silent. */
  logLevel: LogLevel;
  /** `LOG_FORMAT`: text (default) or json. */
  logFormat: LogFormat;
  /** Largest request body in bytes (`MAX_BODY_BYTES`, default 8 MiB). */
  maxBodyBytes: number;
  /** Largest batch: first tensor dimension, or number of texts (`MAX_BATCH`, default 256); also the most rows of one batched run. */
  maxBatch: number;
  /**
   * How long a request that finds its model idle waits for others to run with it
   * (`BATCH_MAX_DELAY_MS`, default 0: requests that arrive while the model runs are batched,
   * none is held back).
   */
  batchMaxDelayMs: number;
  /**
   * How long one batched run may take (`BATCH_MAX_RUN_MS`, default 100; 0: no limit): each model's
   * batches are sized from what its past runs cost per padded row. Past it a bigger batch is no
   * cheaper per row for a model of real size, only longer to wait for.
   */
  batchMaxRunMs: number;
  /** Longest text accepted for sentiment, in characters (`MAX_TEXT_LENGTH`, default 20000). */
  maxTextLength: number;
  /**
   * A run, classify or forecast unanswered this long makes its model host prove it is alive; one
   * stuck in a WASM call is restarted (`INFERENCE_TIMEOUT_MS`, default 60000).
   */
  inferenceTimeoutMs: number;
  /** How long shutdown waits for in-flight requests (`SHUTDOWN_GRACE_MS`, default 10000). */
  shutdownGraceMs: number;
  /** Transformer model that answers /api/v1/sentiment (`SENTIMENT_MODEL`); default: the first loaded. */
  sentimentModel: string | undefined;
  /** Let transformers.js download models from the Hugging Face Hub (`ALLOW_REMOTE_MODELS`, default false). */
  allowRemoteModels: boolean;
  /** WASM threads per model host (`WASM_THREADS`, default: the cores available). */
  wasmThreads: number;
  /**
   * `ONNX_BACKEND`: `auto` (default) runs ONNX and transformer models on native onnxruntime-node
   * in a child process when it is installed and falls back to WASM when it is missing or keeps
   * crashing; `native` and `wasm` use only that one.
   */
  onnxBackend: OnnxBackendChoice;
  /** Intra-op threads of each native session (`NATIVE_THREADS`, default: the cores available). */
  nativeThreads: number;
  /**
   * Under `ONNX_BACKEND=auto`, models smaller than this many MiB run on WASM, where a call costs
   * less than a round trip to the native process (`NATIVE_MIN_MB`, default 16).
   */
  nativeMinMb: number;
  /** Number of model host workers (`MODEL_HOSTS`, default 1). */
  modelHosts: number;
  /** Largest forecast horizon in periods (`MAX_FORECAST_PERIODS`, default 10000). */
  maxForecastPeriods: number;
  /**
   * WebAssembly memory of a model host, MiB, past which it is recycled (`HOST_MEMORY_LIMIT_MB`,
   * default 2048): WASM memory never shrinks, even after one failed huge allocation.
   */
  hostMemoryLimitMb: number;
  /**
   * Origins whose pages may call the API from a browser (`CORS_ORIGINS`: a comma-separated list,
   * or `*` for any); `undefined` (the default) turns CORS off.
   */
  corsOrigins: CorsOrigins | undefined;
  /** Load, reload and unload models as files change in the models folder (`WATCH_MODELS`, default true). */
  watchModels: boolean;
  /**
   * `WATCH_MODE`: `auto` (default; file-system events, plus a poll every `WATCH_POLL_MS` for volumes
   * that send none), `events` (events only) or `poll` (polling only). Polling takes over whenever
   * events cannot be had.
   */
  watchMode: WatchMode;
  /** A changed file is loaded once its size and time stayed still this long (`WATCH_SETTLE_MS`, default 1000). */
  watchSettleMs: number;
  /** Interval of the folder poll (`WATCH_POLL_MS`, default 5000). */
  watchPollMs: number;
  /**
   * Memory the loaded models may hold together, MiB (`MODEL_MEMORY_BUDGET_MB`); `undefined` (unset):
   * no limit. Past it, idle models are evicted least recently used first and load again on their
   * next request.
   */
  memoryBudgetMb: number | undefined;
  /** Serve Prometheus metrics at GET /metrics (`METRICS`, default true). */
  metrics: boolean;
  /** Bearer token GET /metrics requires (`METRICS_TOKEN`), if set; the admin token opens it too. */
  metricsToken: string | undefined;
  /**
   * Most shadow copies of requests running at once (`SHADOW_MAX_IN_FLIGHT`, default 8); more
   * are dropped and counted, so a slow shadow model cannot pile up work.
   */
  shadowMaxInFlight: number;
  /** Cluster mode (`CLUSTER_REDIS_URL` and the other `CLUSTER_*` settings); `undefined`: one replica on its own. */
  cluster: ClusterConfig | undefined;
}

const MIB = 1024 * 1024;

/**
 * Parses the service's settings from environment variables. Throws a {@link ConfigError} naming
 * the first setting that cannot be used; nothing is started with a half-valid configuration.
 *
 * @example
 * const config = parseConfig({ PORT: "8080", MODELS_DIR: "/srv/models" }, "/srv");
 */
export function parseConfig(env: RawSettings = process.env, cwd: string = process.cwd()): Config {
  const modelsDir = resolvePath(cwd, readText(env, "MODELS_DIR") ?? "./models");
  const cacheText = readText(env, "MODEL_CACHE_DIR");
  const cacheDir = cacheText === undefined ? resolve(modelsDir, "cache") : resolvePath(cwd, cacheText);
  const defaultVersion = readText(env, "MODEL_VERSION") ?? "1.0.0";
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(defaultVersion)) {
    throw new ConfigError("MODEL_VERSION", `must be a short version string such as 1.0.0, got "${defaultVersion}"`);
  }
  const adminToken = readToken(env, "ADMIN_TOKEN");
  const inferenceToken = readToken(env, "INFERENCE_TOKEN");
  if (adminToken !== undefined && adminToken === inferenceToken) {
    throw new ConfigError("INFERENCE_TOKEN", "must differ from ADMIN_TOKEN");
  }
  const metricsToken = readToken(env, "METRICS_TOKEN");
  if (metricsToken !== undefined && (metricsToken === adminToken || metricsToken === inferenceToken)) {
    throw new ConfigError("METRICS_TOKEN", "must differ from ADMIN_TOKEN and INFERENCE_TOKEN");
  }
  return {
    port: readInteger(env, "PORT", 3000, { min: 0, max: 65535 }),
    host: readText(env, "HOST") ?? "0.0.0.0",
    modelsDir,
    cacheDir,
    defaultVersion,
    preload: readNameList(env, "PRELOAD"),
    loadConcurrency: readInteger(env, "LOAD_CONCURRENCY", 4, { min: 1, max: 256 }),
    loadTimeoutMs: readInteger(env, "LOAD_TIMEOUT_MS", 120_000, { min: 1 }),
    loadRetries: readInteger(env, "LOAD_RETRIES", 0, { min: 0, max: 10 }),
    loadRetryDelayMs: readInteger(env, "LOAD_RETRY_DELAY_MS", 500, { min: 0, max: 600_000 }),
    adminToken,
    inferenceToken,
    logLevel: readChoice(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    logFormat: readChoice(env, "LOG_FORMAT", LOG_FORMATS, "text"),
    maxBodyBytes: readInteger(env, "MAX_BODY_BYTES", 8 * MIB, { min: 1024, max: 1024 * MIB }),
    maxBatch: readInteger(env, "MAX_BATCH", 256, { min: 1, max: 1_000_000 }),
    batchMaxDelayMs: readInteger(env, "BATCH_MAX_DELAY_MS", 0, { min: 0, max: 10_000 }),
    batchMaxRunMs: readInteger(env, "BATCH_MAX_RUN_MS", 100, { min: 0, max: 600_000 }),
    maxTextLength: readInteger(env, "MAX_TEXT_LENGTH", 20_000, { min: 1, max: 10_000_000 }),
    shutdownGraceMs: readInteger(env, "SHUTDOWN_GRACE_MS", 10_000, { min: 0, max: 3_600_000 }),
    inferenceTimeoutMs: readInteger(env, "INFERENCE_TIMEOUT_MS", 60_000, { min: 1, max: 3_600_000 }),
    sentimentModel: readText(env, "SENTIMENT_MODEL"),
    allowRemoteModels: readFlag(env, "ALLOW_REMOTE_MODELS", false),
    wasmThreads: readInteger(env, "WASM_THREADS", Math.min(64, availableParallelism()), { min: 1, max: 64 }),
    onnxBackend: readChoice(env, "ONNX_BACKEND", ONNX_BACKENDS, "auto"),
    nativeThreads: readInteger(env, "NATIVE_THREADS", Math.min(256, availableParallelism()), { min: 1, max: 256 }),
    nativeMinMb: readInteger(env, "NATIVE_MIN_MB", 16, { min: 0, max: 1_048_576 }),
    modelHosts: readInteger(env, "MODEL_HOSTS", 1, { min: 1, max: 32 }),
    maxForecastPeriods: readInteger(env, "MAX_FORECAST_PERIODS", 10_000, { min: 1, max: 1_000_000 }),
    hostMemoryLimitMb: readInteger(env, "HOST_MEMORY_LIMIT_MB", 2048, { min: 64, max: 65_536 }),
    corsOrigins: readCorsOrigins(env),
    watchModels: readFlag(env, "WATCH_MODELS", true),
    watchMode: readChoice(env, "WATCH_MODE", WATCH_MODES, "auto"),
    watchSettleMs: readInteger(env, "WATCH_SETTLE_MS", 1000, { min: 0, max: 3_600_000 }),
    watchPollMs: readInteger(env, "WATCH_POLL_MS", 5000, { min: 100, max: 3_600_000 }),
    memoryBudgetMb:
      readText(env, "MODEL_MEMORY_BUDGET_MB") === undefined ? undefined : readInteger(env, "MODEL_MEMORY_BUDGET_MB", 0, { min: 1, max: 16_777_216 }),
    metrics: readFlag(env, "METRICS", true),
    metricsToken,
    shadowMaxInFlight: readInteger(env, "SHADOW_MAX_IN_FLIGHT", 8, { min: 1, max: 10_000 }),
    cluster: readClusterConfig(env),
  };
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/** Tokens are compared as bytes; refuse ones too short to resist guessing. */
function readToken(env: RawSettings, key: string): string | undefined {
  const token = readText(env, key);
  if (token === undefined) return undefined;
  if (token.length < 16) throw new ConfigError(key, "must be at least 16 characters long");
  if (/\s/.test(token)) throw new ConfigError(key, "must not contain white space");
  return token;
}
