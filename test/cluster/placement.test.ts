/**
 * The placement loop's own decisions, on a real cache of fake models: a load is checked against a
 * fresh plan first, so that an unload on purpose carried out while the plan's read was in flight
 * is not undone (the cluster test met it on a busy CI machine: the model came back).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "bun:test";
import { ModelCache } from "../../src/cache/model-cache.ts";
import { Placement } from "../../src/cluster/placement.ts";
import type { ModelPlacement } from "../../src/cluster/placement-plan.ts";
import { Logger } from "../../src/logging/logger.ts";
import { FakeBackend, fakeSpecs, fixedDiscovery } from "../helpers/fake-backend.ts";
import { waitFor } from "../helpers/wait-for.ts";

/** A plan of one model, `m`, that should be on the replicas in `target` and is held nowhere. */
function planFor(target: string[]): Map<string, ModelPlacement> {
  return new Map([["m", { model: "m", version: "1.0.0", desired: target.length, target, holders: [], loading: [], requestsPerMinute: 0, copies: null, reporters: 1 }]]);
}

/** A cache holding `m` loaded, and this replica's ("a") placement loop whose fresh reads give `fresh`. */
async function setup(fresh: () => Promise<Map<string, ModelPlacement>>) {
  const backend = new FakeBackend();
  const logs: string[] = [];
  const log = new Logger({ level: "debug", sink: (line) => logs.push(line) });
  const cache = new ModelCache({ backends: [backend], discover: fixedDiscovery(fakeSpecs(["m"])), log });
  await cache.loadAll();
  let freshReads = 0;
  const placement = new Placement({
    replicaId: "a",
    cache,
    log,
    scaleDownMs: 60_000,
    heartbeatMs: 200,
    lock: async () => true,
    unlock: async () => undefined,
    freshPlan: () => {
      freshReads++;
      return fresh();
    },
    beatNow: async () => undefined,
    newModelWaitMs: 0,
  });
  return { cache, backend, placement, logs, freshReads: () => freshReads };
}

describe("Placement: loads", () => {
  test("a plan read before an unload on purpose does not bring the model back: the fresh plan gives it no copy", async () => {
    const { cache, backend, placement, logs, freshReads } = await setup(async () => planFor([]));
    // The admin unload lands here after the tick's read: the stale plan still places a copy here.
    await cache.unloadModel("m");
    placement.act(planFor(["a"]), 1);
    await waitFor("the fresh read", () => freshReads() === 1);
    await sleep(50);
    expect(cache.status("m")).toBe("unloaded");
    expect(backend.attempts.get("m")).toBe(1);
    expect(logs.some((line) => line.includes("placement: loading"))).toBe(false);
  });

  test("a model the fresh plan still places here is loaded", async () => {
    const { cache, backend, placement, freshReads } = await setup(async () => planFor(["a"]));
    await cache.unloadModel("m");
    placement.act(planFor(["a"]), 1);
    await waitFor("m loaded again by placement", () => cache.status("m") === "loaded");
    expect(freshReads()).toBe(1);
    expect(backend.attempts.get("m")).toBe(2);
  });

  test("a fresh read that fails loads nothing (the next heartbeat tries again)", async () => {
    const { cache, backend, placement, logs } = await setup(async () => {
      throw new Error("Redis went away");
    });
    await cache.unloadModel("m");
    placement.act(planFor(["a"]), 1);
    await waitFor("the failure logged", () => logs.some((line) => line.includes("Redis went away")));
    expect(cache.status("m")).toBe("unloaded");
    expect(backend.attempts.get("m")).toBe(1);
  });
});
