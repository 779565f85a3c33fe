import { describe, expect, test } from "bun:test";
import { ModelCache } from "../../src/cache/model-cache.ts";
import type { ModelSpec } from "../../src/cache/model-types.ts";
import { UnavailableError } from "../../src/errors/app-error.ts";
import { Logger } from "../../src/logging/logger.ts";
import { fixedDiscovery } from "../helpers/fake-backend.ts";
import { MIB, SizedBackend, sizedSpecs, until, type SizedBehaviour } from "../helpers/sized-backend.ts";
import { setTimeout as sleep } from "node:timers/promises";

interface Setup {
  /** Sizes on disk in MiB (the estimate before a load). */
  sizes: Record<string, number>;
  budgetMib?: number;
  behaviours?: Record<string, SizedBehaviour>;
  /** Per-model spec changes (required, preload). */
  specs?: Record<string, Partial<ModelSpec>>;
  loadTimeoutMs?: number;
}

async function budgetCache({ sizes, budgetMib, behaviours = {}, specs = {}, loadTimeoutMs }: Setup) {
  const logs: string[] = [];
  const backend = new SizedBackend(behaviours);
  const cache = new ModelCache({
    backends: [backend],
    discover: fixedDiscovery(sizedSpecs(sizes).map((spec) => ({ ...spec, ...specs[spec.name] }))),
    ...(budgetMib !== undefined && { memoryBudgetBytes: budgetMib * MIB }),
    ...(loadTimeoutMs !== undefined && { loadTimeoutMs }),
    log: new Logger({ level: "debug", sink: (line) => logs.push(line) }),
  });
  await cache.loadAll();
  return { cache, backend, logs };
}

/** One request: takes the model and gives it back at once. */
async function use(cache: ModelCache, name: string): Promise<void> {
  const lease = await cache.acquire(name);
  lease.release();
}

const statuses = (cache: ModelCache) => Object.fromEntries(cache.getRegistry().models.map((entry) => [entry.name, entry.status]));

describe("memory accounting", () => {
  test("each model shows the memory measured at load (or the estimate when none was), summed against the budget", async () => {
    const { cache } = await budgetCache({ sizes: { a: 30, b: 40 }, budgetMib: 100, behaviours: { a: { measuredMib: 25 } } });
    await use(cache, "a");
    await use(cache, "b");
    const registry = cache.getRegistry();
    expect(cache.entry("a")).toMatchObject({ memory_bytes: 25 * MIB, memory_method: "weights", eviction_count: 0 });
    expect(cache.entry("b")).toMatchObject({ memory_bytes: 40 * MIB, memory_method: "estimate" });
    expect(registry.memory).toEqual({ budget_bytes: 100 * MIB, used_bytes: 65 * MIB, reserved_bytes: 0 });
    expect(registry.evicted_models).toBe(0);
  });

  test("a model that serves no instance shows no memory", async () => {
    const { cache } = await budgetCache({ sizes: { a: 30 }, budgetMib: 100 });
    expect(cache.entry("a")).toMatchObject({ status: "skipped", memory_bytes: null });
    expect(cache.entry("a")!.memory_method).toBeUndefined();
  });

  test("without a budget nothing is evicted, and memory is still shown", async () => {
    const { cache } = await budgetCache({ sizes: { a: 100, b: 100, c: 100, d: 100, e: 100 } });
    for (const name of ["a", "b", "c", "d", "e"]) await use(cache, name);
    expect(cache.loadedModels).toEqual(["a", "b", "c", "d", "e"]);
    expect(cache.getRegistry().memory).toEqual({ budget_bytes: null, used_bytes: 500 * MIB, reserved_bytes: 0 });
  });
});

describe("eviction", () => {
  test("idle models are evicted least recently used first, only as many as the new model needs", async () => {
    const { cache, logs } = await budgetCache({ sizes: { a: 100, b: 100, c: 100, d: 100 }, budgetMib: 250 });
    await use(cache, "a");
    await use(cache, "b");
    await use(cache, "a"); // b is now the least recently used
    await use(cache, "c");
    expect(statuses(cache)).toEqual({ a: "loaded", b: "evicted", c: "loaded", d: "skipped" });
    expect(cache.entry("b")).toMatchObject({ eviction_count: 1, memory_bytes: null });
    expect(logs.some((line) => line.startsWith('Evicted model "b" (100.0 MiB, idle, least recently used) to make room for "c"'))).toBe(true);
    await use(cache, "d"); // a was used before c
    expect(statuses(cache)).toEqual({ a: "evicted", b: "evicted", c: "loaded", d: "loaded" });
    expect(cache.getRegistry()).toMatchObject({ evicted_models: 2, memory: { used_bytes: 200 * MIB } });
  });

  test("an evicted model's instance is released, and it loads again on its next request, counted as a miss", async () => {
    const { cache, backend } = await budgetCache({ sizes: { a: 100, b: 100 }, budgetMib: 150 });
    await use(cache, "a");
    await use(cache, "b");
    expect(cache.entry("a")!.status).toBe("evicted");
    await until(() => backend.made[0]!.disposed, "the evicted instance is disposed");
    const before = cache.entry("a")!;
    const lease = await cache.acquire("a");
    lease.release();
    const after = cache.entry("a")!;
    expect(after).toMatchObject({ status: "loaded", load_count: 2, requests: before.requests + 1, misses: before.misses + 1, hits: before.hits });
    expect(backend.starts("a")).toBe(2);
    expect(cache.entry("b")!.status).toBe("evicted");
  });

  test("a required model is never evicted, even when it is the least recently used", async () => {
    const { cache } = await budgetCache({
      sizes: { req: 100, b: 100, c: 100 },
      budgetMib: 250,
      specs: { req: { required: true, preload: true } },
    });
    expect(cache.entry("req")!.status).toBe("loaded");
    await use(cache, "b");
    await use(cache, "c");
    expect(statuses(cache)).toEqual({ req: "loaded", b: "evicted", c: "loaded" });
    expect(cache.isReady()).toBe(true);
  });

  test("a model with a request in flight is never evicted: the load waits until one is idle", async () => {
    const { cache } = await budgetCache({ sizes: { a: 100, b: 100, c: 100, d: 100 }, budgetMib: 250 });
    await use(cache, "a");
    await use(cache, "b");
    const holdA = await cache.acquire("a"); // a is the least recently used loaded model... in use
    await use(cache, "b");
    await use(cache, "c"); // b is idle: it goes, a stays
    expect(statuses(cache)).toMatchObject({ a: "loaded", b: "evicted", c: "loaded" });
    const holdC = await cache.acquire("c");
    let dServed = false;
    const dRequest = cache.acquire("d").then((lease) => {
      dServed = true;
      return lease;
    });
    await until(() => cache.entry("d")!.status === "loading", "d waits for room");
    await sleep(50);
    expect(dServed).toBe(false); // a and c are both in use: nothing may go
    expect(statuses(cache)).toMatchObject({ a: "loaded", c: "loaded" });
    holdA.release(); // a, idle now and least recently used, makes room
    const dLease = await dRequest;
    dLease.release();
    holdC.release();
    expect(statuses(cache)).toEqual({ a: "evicted", b: "evicted", c: "loaded", d: "loaded" });
  });

  test("a model set through the API is never evicted: it could not be loaded again", async () => {
    const { cache } = await budgetCache({ sizes: { b: 100, c: 100 }, budgetMib: 250 });
    cache.setModel("handmade", { memory: { bytes: 100 * MIB, method: "weights" } }, { modelType: "custom" });
    await use(cache, "b");
    await use(cache, "c");
    expect(statuses(cache)).toEqual({ b: "evicted", c: "loaded", handmade: "loaded" });
    expect(cache.entry("handmade")!.memory_bytes).toBe(100 * MIB);
  });

  test("a full reload leaves evicted models alone; a named load brings one back", async () => {
    const { cache, backend } = await budgetCache({ sizes: { a: 100, b: 100 }, budgetMib: 150 });
    await use(cache, "a");
    await use(cache, "b");
    await cache.reload();
    expect(statuses(cache)).toEqual({ a: "evicted", b: "loaded" });
    expect(backend.starts("a")).toBe(1);
    const outcome = await cache.loadModel("a");
    expect(outcome.ok).toBe(true);
    expect(statuses(cache)).toEqual({ a: "loaded", b: "evicted" });
  });

  test("health stays healthy with evicted models, and says so", async () => {
    const { cache } = await budgetCache({ sizes: { a: 100, b: 100 }, budgetMib: 150, specs: { a: { preload: true }, b: { preload: true } } });
    await use(cache, "b");
    expect(cache.health()).toMatchObject({ status: "healthy", loaded_models: ["b"] });
    expect(cache.health().message).toBe("1 models loaded; 1 evicted to stay within the memory budget (each loads again on its next request)");
  });
});

describe("models that can never fit", () => {
  test("a model larger than the budget fails with a message that says so, and is never loaded", async () => {
    const { cache, backend } = await budgetCache({ sizes: { small: 50, huge: 300 }, budgetMib: 200 });
    await use(cache, "small");
    const error = await cache.acquire("huge").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(cache.entry("huge")).toMatchObject({ status: "failed" });
    expect(cache.entry("huge")!.error).toBe(
      "cannot fit in the memory budget: it needs 300.0 MiB (estimated from its files), more than the whole budget of 200.0 MiB (MODEL_MEMORY_BUDGET_MB)",
    );
    expect(backend.starts("huge")).toBe(0);
    expect(cache.entry("small")!.status).toBe("loaded");
  });

  test("a model that measures larger than the budget once loaded is released and failed; nothing was evicted for it", async () => {
    const { cache, backend } = await budgetCache({ sizes: { a: 100, liar: 100 }, budgetMib: 150, behaviours: { liar: { measuredMib: 400 } } });
    await use(cache, "a");
    const outcome = await cache.loadModel("liar");
    expect(outcome.ok).toBe(false);
    expect(cache.entry("liar")!.error).toBe(
      "cannot fit in the memory budget: it needs 400.0 MiB (measured), more than the whole budget of 150.0 MiB (MODEL_MEMORY_BUDGET_MB)",
    );
    expect(backend.made.find((model) => model.name === "liar")!.disposed).toBe(true);
    expect(statuses(cache)).toMatchObject({ a: "loaded" });
    expect(cache.entry("a")!.eviction_count).toBe(0);
    expect(cache.getRegistry().memory).toEqual({ budget_bytes: 150 * MIB, used_bytes: 100 * MIB, reserved_bytes: 0 });
  });

  test("a model larger than what the required models leave fails, naming them", async () => {
    const { cache } = await budgetCache({
      sizes: { base: 120, other: 60, extra: 100 },
      budgetMib: 200,
      specs: { base: { required: true, preload: true } },
    });
    await use(cache, "other");
    await cache.loadModel("extra");
    expect(cache.entry("extra")!.error).toBe(
      "cannot fit in the memory budget: it needs 100.0 MiB (estimated from its files), and of the budget's 200.0 MiB (MODEL_MEMORY_BUDGET_MB) the required models hold 120.0 MiB (base), which are never evicted",
    );
    expect(statuses(cache)).toMatchObject({ base: "loaded", other: "loaded", extra: "failed" });
  });
});

describe("concurrent loads", () => {
  test("three first loads at once with room for two: the third waits for room instead of counting on it too", async () => {
    const gated = { gated: true };
    const { cache, backend } = await budgetCache({ sizes: { a: 100, b: 100, c: 100 }, budgetMib: 250, behaviours: { a: gated, b: gated, c: gated } });
    const requests = ["a", "b", "c"].map((name) => use(cache, name));
    await until(() => backend.started.length === 2, "two loads are admitted");
    await sleep(50);
    expect(backend.started.length).toBe(2); // the third was not admitted beside them
    expect(cache.getRegistry().memory.reserved_bytes).toBe(200 * MIB);
    const [first, second] = backend.started as [string, string];
    const third = ["a", "b", "c"].find((name) => !backend.started.includes(name))!;
    backend.open(first);
    backend.open(second);
    backend.open(third);
    await Promise.all(requests);
    expect(backend.mostRunning).toBe(2);
    expect(statuses(cache)[third]).toBe("loaded");
    expect(cache.getRegistry().evicted_models).toBe(1);
    expect(cache.getRegistry().memory.used_bytes).toBeLessThanOrEqual(250 * MIB);
  });

  test("two loads that need room at once each count on a different idle model", async () => {
    const { cache, backend, logs } = await budgetCache({
      sizes: { a: 100, b: 100, c: 100, d: 100 },
      budgetMib: 250,
      behaviours: { c: { gated: true }, d: { gated: true } },
    });
    await use(cache, "a");
    await use(cache, "b");
    const requests = [use(cache, "c"), use(cache, "d")];
    await until(() => backend.started.includes("c") && backend.started.includes("d"), "both loads are admitted");
    const plans = logs.filter((line) => line.startsWith("Room for model")).map((line) => line.replace(/ level=\w+$/, ""));
    expect(plans).toEqual([
      'Room for model "c" (100.0 MiB) will come from evicting a',
      'Room for model "d" (100.0 MiB) will come from evicting b',
    ]);
    // Load first, evict after: a and b still serve while c and d load.
    expect(statuses(cache)).toMatchObject({ a: "loaded", b: "loaded", c: "loading", d: "loading" });
    backend.open("c");
    backend.open("d");
    await Promise.all(requests);
    expect(statuses(cache)).toEqual({ a: "evicted", b: "evicted", c: "loaded", d: "loaded" });
    expect(cache.getRegistry().memory.used_bytes).toBe(200 * MIB);
  });
});

describe("a load that fails costs nothing", () => {
  test("the idle model that would have made room keeps serving", async () => {
    const { cache, backend } = await budgetCache({
      sizes: { a: 100, b: 100, broken: 100 },
      budgetMib: 250,
      behaviours: { broken: { gated: true, fails: true } },
    });
    await use(cache, "a");
    await use(cache, "b");
    const attempt = cache.loadModel("broken");
    await until(() => backend.started.includes("broken"), "the load is admitted, counting on a");
    expect(cache.getRegistry().memory.reserved_bytes).toBe(100 * MIB);
    backend.open("broken");
    const outcome = await attempt;
    expect(outcome.ok).toBe(false);
    expect(statuses(cache)).toEqual({ a: "loaded", b: "loaded", broken: "failed" });
    expect(cache.entry("a")!.eviction_count + cache.entry("b")!.eviction_count).toBe(0);
    expect(cache.getRegistry().memory).toEqual({ budget_bytes: 250 * MIB, used_bytes: 200 * MIB, reserved_bytes: 0 });
    // Its room was given back: another model can still have it.
    await use(cache, "a");
    expect(backend.starts("a")).toBe(1);
  });
});

describe("preloading within the budget", () => {
  test("preloads fill the budget; the rest are left to load on first use, required ones always load", async () => {
    const all = { preload: true };
    const { cache, backend, logs } = await budgetCache({
      sizes: { a: 100, b: 100, c: 100, huge: 250, req: 50 },
      budgetMib: 260,
      specs: { a: all, b: all, c: all, huge: all, req: { preload: true, required: true } },
    });
    expect(statuses(cache)).toEqual({ a: "loaded", b: "loaded", c: "skipped", huge: "failed", req: "loaded" });
    expect(cache.entry("huge")!.error).toContain("the required models hold 50.0 MiB (req)");
    expect(backend.starts("c") + backend.starts("huge")).toBe(0);
    expect(logs.some((line) => line.startsWith("Not preloading c: they do not fit in the memory budget"))).toBe(true);
    await use(cache, "c");
    expect(statuses(cache)).toEqual({ a: "evicted", b: "loaded", c: "loaded", huge: "failed", req: "loaded" });
  });
});
