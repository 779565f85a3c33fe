import { describe, expect, test } from "bun:test";
import { availableParallelism } from "node:os";
import { parseConfig } from "../../src/config/config.ts";
import { ConfigError } from "../../src/config/config-error.ts";

describe("parseConfig", () => {
  test("defaults", () => {
    const config = parseConfig({}, "/srv/app");
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      modelsDir: "/srv/app/models",
      cacheDir: "/srv/app/models/cache",
      defaultVersion: "1.0.0",
      preload: undefined,
      loadConcurrency: 4,
      loadTimeoutMs: 120_000,
      loadRetries: 0,
      adminToken: undefined,
      logLevel: "info",
      allowRemoteModels: false,
      watchModels: true,
      watchMode: "auto",
      watchSettleMs: 1000,
      watchPollMs: 5000,
      metrics: true,
      metricsToken: undefined,
      onnxBackend: "auto",
      batchMaxDelayMs: 0,
    });
  });

  test("thread counts default to the cores available", () => {
    const config = parseConfig({});
    expect(config.wasmThreads).toBe(Math.min(64, availableParallelism()));
    expect(config.nativeThreads).toBe(availableParallelism());
    expect(config.nativeMinMb).toBe(16);
  });

  test("execution and batching settings", () => {
    expect(parseConfig({ ONNX_BACKEND: "WASM", NATIVE_THREADS: "3", NATIVE_MIN_MB: "0", BATCH_MAX_DELAY_MS: "5", BATCH_MAX_RUN_MS: "0" })).toMatchObject({
      onnxBackend: "wasm",
      nativeThreads: 3,
      nativeMinMb: 0,
      batchMaxDelayMs: 5,
      batchMaxRunMs: 0,
    });
    expect(parseConfig({}).batchMaxRunMs).toBe(100);
  });

  test("watch settings", () => {
    expect(parseConfig({ WATCH_MODELS: "off", WATCH_MODE: "POLL", WATCH_SETTLE_MS: "0", WATCH_POLL_MS: "250" })).toMatchObject({
      watchModels: false,
      watchMode: "poll",
      watchSettleMs: 0,
      watchPollMs: 250,
    });
  });

  test("reads every documented setting", () => {
    const config = parseConfig(
      {
        PORT: "8080",
        HOST: "127.0.0.1",
        MODELS_DIR: "/data/models",
        MODEL_CACHE_DIR: "cache-here",
        MODEL_VERSION: "2.1.0",
        PRELOAD: "iris, bert ,iris",
        LOAD_CONCURRENCY: "2",
        LOAD_TIMEOUT_MS: "5000",
        LOAD_RETRIES: "3",
        ADMIN_TOKEN: "a-very-long-admin-token",
        INFERENCE_TOKEN: "a-very-long-inference-token",
        LOG_LEVEL: "DEBUG",
        LOG_FORMAT: "json",
        ALLOW_REMOTE_MODELS: "yes",
        WASM_THREADS: "2",
        METRICS: "false",
        METRICS_TOKEN: "a-very-long-metrics-token",
      },
      "/work",
    );
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      modelsDir: "/data/models",
      cacheDir: "/work/cache-here",
      defaultVersion: "2.1.0",
      preload: ["iris", "bert"],
      loadConcurrency: 2,
      loadTimeoutMs: 5000,
      loadRetries: 3,
      adminToken: "a-very-long-admin-token",
      inferenceToken: "a-very-long-inference-token",
      logLevel: "debug",
      logFormat: "json",
      allowRemoteModels: true,
      wasmThreads: 2,
      metrics: false,
      metricsToken: "a-very-long-metrics-token",
    });
  });

  test("MODEL_MEMORY_BUDGET_MB: unset or blank means no limit; a number is MiB", () => {
    expect(parseConfig({}).memoryBudgetMb).toBeUndefined();
    expect(parseConfig({ MODEL_MEMORY_BUDGET_MB: " " }).memoryBudgetMb).toBeUndefined();
    expect(parseConfig({ MODEL_MEMORY_BUDGET_MB: "1536" }).memoryBudgetMb).toBe(1536);
  });

  test("PRELOAD empty or * means every model", () => {
    expect(parseConfig({ PRELOAD: "" }).preload).toBeUndefined();
    expect(parseConfig({ PRELOAD: "*" }).preload).toBeUndefined();
  });

  const bad: [Record<string, string>, string, RegExp][] = [
    [{ PORT: "80a" }, "PORT", /whole number/],
    [{ PORT: "70000" }, "PORT", /between 0 and 65535/],
    [{ LOAD_CONCURRENCY: "0" }, "LOAD_CONCURRENCY", /≥ 1|between/],
    [{ LOAD_TIMEOUT_MS: "-5" }, "LOAD_TIMEOUT_MS", /≥ 1/],
    [{ LOAD_RETRIES: "1.5" }, "LOAD_RETRIES", /whole number/],
    [{ MAX_BODY_BYTES: "lots" }, "MAX_BODY_BYTES", /whole number/],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL", /one of debug, info, warn, error, silent/],
    [{ LOG_FORMAT: "xml" }, "LOG_FORMAT", /one of text, json/],
    [{ ALLOW_REMOTE_MODELS: "maybe" }, "ALLOW_REMOTE_MODELS", /true or false/],
    [{ ADMIN_TOKEN: "short" }, "ADMIN_TOKEN", /at least 16/],
    [{ ADMIN_TOKEN: "same-token-for-both", INFERENCE_TOKEN: "same-token-for-both" }, "INFERENCE_TOKEN", /differ/],
    [{ MODEL_VERSION: "1.0 beta" }, "MODEL_VERSION", /version string/],
    [{ CORS_ORIGINS: "app.example.com" }, "CORS_ORIGINS", /not an origin/],
    [{ CORS_ORIGINS: "https://app.example.com/ui" }, "CORS_ORIGINS", /not an origin/],
    [{ CORS_ORIGINS: "ftp://files.example.com" }, "CORS_ORIGINS", /not an origin/],
    [{ CORS_ORIGINS: "https://app.example.com/" }, "CORS_ORIGINS", /browsers send it as "https:\/\/app.example.com"/],
    [{ CORS_ORIGINS: "HTTPS://App.Example.com" }, "CORS_ORIGINS", /browsers send it as "https:\/\/app.example.com"/],
    [{ CORS_ORIGINS: "https://app.example.com:443" }, "CORS_ORIGINS", /browsers send it as "https:\/\/app.example.com"/],
    [{ CORS_ORIGINS: "*, https://app.example.com" }, "CORS_ORIGINS", /alone/],
    [{ WATCH_MODELS: "sometimes" }, "WATCH_MODELS", /true or false/],
    [{ WATCH_MODE: "inotify" }, "WATCH_MODE", /one of auto, events, poll/],
    [{ WATCH_SETTLE_MS: "-1" }, "WATCH_SETTLE_MS", /between 0 and/],
    [{ WATCH_POLL_MS: "10" }, "WATCH_POLL_MS", /between 100 and/],
    [{ MODEL_MEMORY_BUDGET_MB: "0" }, "MODEL_MEMORY_BUDGET_MB", /between 1 and/],
    [{ MODEL_MEMORY_BUDGET_MB: "2GB" }, "MODEL_MEMORY_BUDGET_MB", /whole number/],
    [{ METRICS: "sometimes" }, "METRICS", /true or false/],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN", /at least 16/],
    [{ ADMIN_TOKEN: "same-token-for-three", METRICS_TOKEN: "same-token-for-three" }, "METRICS_TOKEN", /differ/],
    [{ ONNX_BACKEND: "cuda" }, "ONNX_BACKEND", /one of auto, native, wasm/],
    [{ NATIVE_THREADS: "0" }, "NATIVE_THREADS", /between 1 and/],
    [{ NATIVE_MIN_MB: "-1" }, "NATIVE_MIN_MB", /between 0 and/],
    [{ BATCH_MAX_DELAY_MS: "-1" }, "BATCH_MAX_DELAY_MS", /between 0 and/],
  ];
  test.each(bad)("%p is refused, naming %s", (env, setting, reason) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as ConfigError).message).toContain(setting);
    expect((error as ConfigError).message).toMatch(reason);
  });

  test("CORS_ORIGINS: off when unset or blank, * for any origin, else a list without repeats", () => {
    expect(parseConfig({}).corsOrigins).toBeUndefined();
    expect(parseConfig({ CORS_ORIGINS: " " }).corsOrigins).toBeUndefined();
    expect(parseConfig({ CORS_ORIGINS: "*" }).corsOrigins).toBe("*");
    expect(parseConfig({ CORS_ORIGINS: "https://app.example.com, http://localhost:5173,https://app.example.com" }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
    ]);
  });

  test("messages never print a token", () => {
    try {
      parseConfig({ ADMIN_TOKEN: "secret" });
    } catch (error) {
      expect((error as Error).message).not.toContain("secret");
    }
  });
});
