import { describe, expect, test } from "bun:test";
import { ModelCache } from "../../src/cache/model-cache.ts";
import { NotFoundError, UnavailableError } from "../../src/errors/app-error.ts";
import { Logger } from "../../src/logging/logger.ts";
import { FakeBackend, FakeModel, fakeSpecs, fixedDiscovery } from "../helpers/fake-backend.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { settlesWithin, waitFor } from "../helpers/wait-for.ts";

function cacheOf(backend: FakeBackend, names: string[], options: Partial<ConstructorParameters<typeof ModelCache>[0]> = {}, specOverrides = {}) {
  return new ModelCache({ backends: [backend], discover: fixedDiscovery(fakeSpecs(names, specOverrides)), retryDelayMs: () => 1, ...options });
}

function overlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

describe("concurrent loading", () => {
  test("two slow models load at the same time", async () => {
    const backend = new FakeBackend({ a: { delayMs: 300 }, b: { delayMs: 300 } });
    const cache = cacheOf(backend, ["a", "b"], { loadConcurrency: 4 });
    await cache.loadAll();
    const [a] = backend.intervals.get("a")!;
    const [b] = backend.intervals.get("b")!;
    // Each started before the other finished, however slow the machine is.
    expect(overlap(a!, b!)).toBe(true);
    expect(cache.loadedModels).toEqual(["a", "b"]);
  });

  test("LOAD_CONCURRENCY bounds how many load at once", async () => {
    const backend = new FakeBackend({ a: { delayMs: 60 }, b: { delayMs: 60 }, c: { delayMs: 60 } });
    const cache = cacheOf(backend, ["a", "b", "c"], { loadConcurrency: 1 });
    await cache.loadAll();
    const all = ["a", "b", "c"].map((name) => backend.intervals.get(name)![0]!);
    expect(overlap(all[0]!, all[1]!) || overlap(all[1]!, all[2]!) || overlap(all[0]!, all[2]!)).toBe(false);
  });

  test("loadAll called twice while running shares one run", async () => {
    const backend = new FakeBackend({ a: { delayMs: 50 } });
    const cache = cacheOf(backend, ["a"]);
    const [first, second] = await Promise.all([cache.loadAll(), cache.loadAll()]);
    expect(first).toEqual(second);
    expect(backend.attempts.get("a")).toBe(1);
  });
});

describe("a model preloaded last (the lexicon)", () => {
  function lastOf(names: string[], last: string) {
    return fixedDiscovery([...fakeSpecs(names), ...fakeSpecs([last], { preloadLast: true })]);
  }

  test("starts loading only once every other preload has finished, failed ones included", async () => {
    const backend = new FakeBackend({ big: { delayMs: 150 }, broken: { failTimes: 99 }, lexicon: { delayMs: 10 } });
    const cache = new ModelCache({ backends: [backend], discover: lastOf(["big", "broken"], "lexicon"), retryDelayMs: () => 1 });
    const summary = await cache.loadAll();
    expect(summary.loaded).toEqual(["big", "lexicon"]);
    const [big] = backend.intervals.get("big")!;
    const [lexicon] = backend.intervals.get("lexicon")!;
    expect(lexicon!.start).toBeGreaterThanOrEqual(big!.end);
  });

  test("a request for it before then loads it at once, and the preload does not load it again", async () => {
    let releaseBig!: () => void;
    const gate = new Promise<void>((resolve) => (releaseBig = resolve));
    const backend = new FakeBackend({ big: { gate } });
    const cache = new ModelCache({ backends: [backend], discover: lastOf(["big"], "lexicon"), retryDelayMs: () => 1 });
    const all = cache.loadAll();
    await waitFor("the first preload under way", () => cache.status("big") === "loading");
    expect(cache.status("lexicon")).toBe("pending");
    const lease = await cache.acquire("lexicon");
    lease.release();
    expect(cache.status("lexicon")).toBe("loaded");
    expect(cache.status("big")).toBe("loading");
    releaseBig();
    expect((await all).loaded).toEqual(["big", "lexicon"]);
    expect(backend.attempts.get("lexicon")).toBe(1);
  });
});

describe("failures, time limits and retries", () => {
  test("a failed model is failed with its message; the others load", async () => {
    const logs: string[] = [];
    const log = new Logger({ level: "info", sink: (line) => logs.push(line) });
    const backend = new FakeBackend({ bad: { failTimes: 99 } });
    const cache = cacheOf(backend, ["bad", "good"], { log });
    const summary = await cache.loadAll();
    expect(summary).toEqual({ loaded: ["good"], failed: ["bad"], skipped: [] });
    expect(cache.entry("bad")!.error).toBe("bad failed on attempt 1");
    expect(cache.entry("bad")!.status).toBe("failed");
    expect(logs.some((line) => line.startsWith('Failed to load model "bad"'))).toBe(true);
    expect(cache.health().status).toBe("degraded");
  });

  test("a load that never finishes becomes failed with a time-out error, and the rest load", async () => {
    const backend = new FakeBackend({ stuck: { hang: true } });
    const cache = cacheOf(backend, ["stuck", "fine"], { loadTimeoutMs: 100 });
    const summary = await cache.loadAll();
    expect(summary.failed).toEqual(["stuck"]);
    expect(summary.loaded).toEqual(["fine"]);
    expect(cache.entry("stuck")!.error).toMatch(/did not finish within 100 ms/);
  });

  test("LOAD_RETRIES: a model that fails once loads on the retry", async () => {
    const backend = new FakeBackend({ flaky: { failTimes: 1 } });
    const cache = cacheOf(backend, ["flaky"], { loadRetries: 1 });
    await cache.loadAll();
    expect(cache.entry("flaky")!.status).toBe("loaded");
    expect(backend.attempts.get("flaky")).toBe(2);
  });

  test("without retries the same model fails", async () => {
    const backend = new FakeBackend({ flaky: { failTimes: 1 } });
    const cache = cacheOf(backend, ["flaky"], { loadRetries: 0 });
    await cache.loadAll();
    expect(cache.entry("flaky")!.status).toBe("failed");
  });

  test("a time-out is not retried (a hanging model would hang again)", async () => {
    const backend = new FakeBackend({ stuck: { hang: true } });
    const cache = cacheOf(backend, ["stuck"], { loadTimeoutMs: 50, loadRetries: 3 });
    await cache.loadAll();
    expect(backend.attempts.get("stuck")).toBe(1);
  });

  test("a model whose spec carries a discovery problem fails with that problem", async () => {
    const backend = new FakeBackend();
    const cache = new ModelCache({ backends: [backend], discover: fixedDiscovery(fakeSpecs(["x"], { problem: "the model folder is missing tokenizer.json" })) });
    await cache.loadAll();
    expect(cache.entry("x")!.error).toBe("the model folder is missing tokenizer.json");
    expect(backend.attempts.get("x")).toBeUndefined();
  });
});

describe("registry", () => {
  test("entries carry status, timings, version and counters", async () => {
    const backend = new FakeBackend({ a: { delayMs: 20 } });
    const cache = cacheOf(backend, ["a"], { now: () => 1_700_000_000.5 });
    expect(cache.getRegistry().is_loaded).toBe(false);
    const started = performance.now();
    await cache.loadAll();
    const outside = performance.now() - started;
    const registry = cache.getRegistry();
    expect(registry).toMatchObject({ is_loaded: true, total_models: 1, loaded_models: 1, failed_models: 0, skipped_models: 0 });
    const entry = registry.models[0]!;
    expect(entry).toMatchObject({ name: "a", model_type: "onnx", status: "loaded", version: "1.0.0", loaded_at: 1_700_000_000.5 });
    // In seconds: at least the backend's own load, at most the whole loadAll around it.
    const [load] = backend.intervals.get("a")!;
    expect(entry.load_duration! * 1000).toBeGreaterThanOrEqual(load!.end - load!.start - 1);
    expect(entry.load_duration! * 1000).toBeLessThanOrEqual(outside + 1);
  });

  test("getModel counts hits and misses", async () => {
    const cache = cacheOf(new FakeBackend(), ["a", "b"], {}, {});
    await cache.loadAll();
    await cache.unloadModel("b");
    expect(cache.getModel("a")).toBeInstanceOf(FakeModel);
    expect(cache.getModel("a")).toBeInstanceOf(FakeModel);
    expect(cache.getModel("b")).toBeUndefined();
    expect(cache.getModel("nope")).toBeUndefined();
    expect(cache.entry("a")).toMatchObject({ requests: 2, hits: 2, misses: 0 });
    expect(cache.entry("b")).toMatchObject({ requests: 1, hits: 0, misses: 1, status: "unloaded" });
  });

  test("setModel registers a model made elsewhere, with its type and version", () => {
    const cache = new ModelCache({ backends: [] });
    cache.setModel("mine", { answer: 42 }, { modelType: "custom", version: "2.0.0", loadDuration: 0.25 });
    expect(cache.getModel<{ answer: number }>("mine")!.answer).toBe(42);
    expect(cache.entry("mine")).toMatchObject({ status: "loaded", version: "2.0.0", load_duration: 0.25, model_type: "custom" });
    expect(cache.loadedModels).toEqual(["mine"]);
  });

  test("setModel replacing a model disposes the old one once idle", async () => {
    const cache = new ModelCache({ backends: [] });
    const first = new FakeModel("m", 1);
    cache.setModel("m", first);
    const lease = await cache.acquire("m");
    cache.setModel("m", new FakeModel("m", 2));
    expect(first.disposed).toBe(false);
    lease.release();
    await sleep(1);
    expect(first.disposed).toBe(true);
  });

  test("skipped models are registered, not loaded, and load on first use", async () => {
    const backend = new FakeBackend();
    const cache = new ModelCache({ backends: [backend], discover: fixedDiscovery([...fakeSpecs(["eager"]), ...fakeSpecs(["lazy"], { preload: false })]) });
    await cache.loadAll();
    expect(cache.skippedModels).toEqual(["lazy"]);
    expect(cache.health().status).toBe("healthy");
    const lease = await cache.acquire<FakeModel>("lazy");
    expect(lease.model.name).toBe("lazy");
    lease.release();
    expect(cache.entry("lazy")!.status).toBe("loaded");
  });

  test("two concurrent first uses of a skipped model load it once", async () => {
    const backend = new FakeBackend({ lazy: { delayMs: 50 } });
    const cache = new ModelCache({ backends: [backend], discover: fixedDiscovery(fakeSpecs(["lazy"], { preload: false })) });
    await cache.loadAll();
    const [a, b] = await Promise.all([cache.acquire("lazy"), cache.acquire("lazy")]);
    expect(a.model).toBe(b.model);
    expect(backend.attempts.get("lazy")).toBe(1);
  });

  test("acquire: unknown is NotFoundError, failed is UnavailableError naming the reason", async () => {
    const cache = cacheOf(new FakeBackend({ bad: { failTimes: 9 } }), ["bad"]);
    await cache.loadAll();
    expect(cache.acquire("nope")).rejects.toBeInstanceOf(NotFoundError);
    const failure = cache.acquire("bad");
    expect(failure).rejects.toBeInstanceOf(UnavailableError);
    expect(failure).rejects.toThrow(/failed to load: bad failed on attempt 1/);
  });
});

describe("reload", () => {
  test("swaps to the new instance and disposes the old one after its in-flight request", async () => {
    const backend = new FakeBackend({ m: { delayMs: 30 } });
    const cache = cacheOf(backend, ["m"]);
    await cache.loadAll();
    const lease = await cache.acquire<FakeModel>("m");
    const old = lease.model;
    const reloading = cache.reload(["m"]);
    // While the new instance loads, the old one still answers.
    await sleep(5);
    expect(cache.entry("m")!.reloading).toBe(true);
    const during = await cache.acquire<FakeModel>("m");
    expect(during.model).toBe(old);
    during.release();
    await reloading;
    const after = await cache.acquire<FakeModel>("m");
    expect(after.model).not.toBe(old);
    after.release();
    expect(old.disposed).toBe(false);
    lease.release();
    await sleep(1);
    expect(old.disposed).toBe(true);
  });

  test("a reload that fails keeps the old instance serving and records the attempt", async () => {
    const backend = new FakeBackend({ m: { failTimes: 0 } });
    const cache = cacheOf(backend, ["m"]);
    await cache.loadAll();
    const before = cache.getModel("m");
    (backend as unknown as { behaviours: Record<string, object> }).behaviours.m = { failTimes: 99 };
    const summary = await cache.reload(["m"]);
    // The reload failed (so it is reported as failed) although the old instance still serves.
    expect(summary).toEqual({ loaded: [], failed: ["m"], skipped: [] });
    expect(cache.getModel("m")).toBe(before);
    const entry = cache.entry("m")!;
    expect(entry.status).toBe("loaded");
    expect(entry.error).toBeUndefined();
    expect(entry.last_error).toMatch(/failed on attempt 2/);
    expect(entry.failure_count).toBe(1);
  });

  test("two identical reloads at once share one run", async () => {
    const backend = new FakeBackend({ m: { delayMs: 30 } });
    const cache = cacheOf(backend, ["m"]);
    await cache.loadAll();
    const [a, b] = await Promise.all([cache.reload(), cache.reload()]);
    expect(a).toBe(b);
    expect(backend.attempts.get("m")).toBe(2);
  });

  test("reload of an unknown name is NotFoundError", async () => {
    const cache = cacheOf(new FakeBackend(), ["m"]);
    await cache.loadAll();
    expect(cache.reload(["ghost"])).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("health and readiness", () => {
  test("loading, then healthy with the example message", async () => {
    const cache = cacheOf(new FakeBackend({ a: { delayMs: 30 } }), ["a", "b", "c"]);
    const loading = cache.loadAll();
    expect(cache.health().status).toBe("loading");
    expect(cache.isReady()).toBe(false);
    await loading;
    expect(cache.health()).toEqual({
      status: "healthy",
      message: "All 3 models loaded successfully",
      loaded_models: ["a", "b", "c"],
      failed_models: [],
    });
    expect(cache.isReady()).toBe(true);
  });

  test("a required model that failed makes the service unhealthy and not ready", async () => {
    const backend = new FakeBackend({ core: { failTimes: 9 } });
    const cache = new ModelCache({ backends: [backend], discover: fixedDiscovery([...fakeSpecs(["core"], { required: true }), ...fakeSpecs(["extra"])]) });
    await cache.loadAll();
    expect(cache.health().status).toBe("unhealthy");
    expect(cache.isReady()).toBe(false);
  });

  test("draining turns readiness off while serving goes on", async () => {
    const cache = cacheOf(new FakeBackend(), ["a"]);
    await cache.loadAll();
    cache.beginDrain();
    expect(cache.isReady()).toBe(false);
    const lease = await cache.acquire("a");
    lease.release();
  });
});

describe("unload and stop", () => {
  test("unloadAll disposes every instance", async () => {
    const backend = new FakeBackend();
    const cache = cacheOf(backend, ["a", "b"]);
    await cache.loadAll();
    await cache.unloadAll();
    expect(backend.made.every((model) => model.disposed)).toBe(true);
    expect(cache.getRegistry().models.map((entry) => entry.status)).toEqual(["unloaded", "unloaded"]);
  });

  test("stop waits for requests in flight, then disposes; new requests are refused", async () => {
    const backend = new FakeBackend();
    const cache = cacheOf(backend, ["a"]);
    await cache.loadAll();
    const lease = await cache.acquire("a");
    let stopped = false;
    const stopping = cache.stop().then(() => (stopped = true));
    await sleep(10);
    expect(stopped).toBe(false);
    expect(cache.acquire("a")).rejects.toThrow(/shutting down/);
    lease.release();
    await stopping;
    expect(backend.made[0]!.disposed).toBe(true);
  });

  test("stop does not wait for a load that hangs", async () => {
    const cache = cacheOf(new FakeBackend({ stuck: { hang: true } }), ["stuck"]);
    void cache.loadAll();
    await sleep(10);
    // The load never ends: a stop that waited for it would never settle.
    await settlesWithin("stop while a load hangs", cache.stop());
  });
});

describe("a full reload", () => {
  test("leaves out custom models, models left to load on first use, and models unloaded on purpose", async () => {
    const backend = new FakeBackend();
    const cache = new ModelCache({
      backends: [backend],
      discover: fixedDiscovery([...fakeSpecs(["a", "b"]), ...fakeSpecs(["lazy"], { preload: false })]),
    });
    await cache.loadAll();
    cache.setModel("mine", new FakeModel("mine", 1));
    await cache.unloadModel("b");
    const summary = await cache.reload();
    expect(summary).toEqual({ loaded: ["a"], failed: [], skipped: [] });
    expect(cache.entry("b")!.status).toBe("unloaded");
    expect(cache.entry("lazy")!.status).toBe("skipped");
    expect(cache.entry("mine")!.failure_count).toBe(0);
  });
});
