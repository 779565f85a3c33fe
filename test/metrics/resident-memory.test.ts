/**
 * process_resident_memory_bytes where /proc/self/status cannot be read (Deno under
 * npm run start:deno's permissions): the unit here, and the service as users start it, scraped
 * over HTTP, on whichever runtime runs the suite (under Deno: the narrow permissions).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { collectDefaultMetrics, Registry } from "prom-client";
import { keepResidentMemory } from "../../src/metrics/resident-memory.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { sample } from "../helpers/prometheus-text.ts";
import { spawnService } from "../helpers/service-process.ts";
import { tempModels } from "../helpers/temp-models.ts";

const RESIDENT = "process_resident_memory_bytes";

function defaultRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

describe.skipIf(process.platform !== "linux")("keepResidentMemory", () => {
  test("a status file that cannot be read: the runtime's resident memory stands in", async () => {
    const registry = defaultRegistry();
    const prom = registry.getSingleMetric(RESIDENT);
    keepResidentMemory(registry, () => {
      throw new Error('Requires all access to "/proc/self/status", run again with the --allow-all flag');
    });
    expect(registry.getSingleMetric(RESIDENT)).not.toBe(prom);
    const text = await registry.metrics();
    expect(text.match(/^# TYPE process_resident_memory_bytes gauge$/gm)).toHaveLength(1);
    expect(sample(text, RESIDENT)).toBeGreaterThan(10 * 2 ** 20);
  });

  test("a status file that can be read: prom-client's own figure stays", () => {
    const registry = defaultRegistry();
    const prom = registry.getSingleMetric(RESIDENT);
    keepResidentMemory(registry, () => "VmRSS:\t1000 kB\n");
    expect(registry.getSingleMetric(RESIDENT)).toBe(prom);
  });

  test("a registry without process metrics gets none", async () => {
    const registry = new Registry();
    keepResidentMemory(registry, () => {
      throw new Error("unreadable");
    });
    expect((await registry.metrics()).trim()).toBe("");
  });
});

describe("/metrics of the service as users start it", () => {
  test("process_resident_memory_bytes is the process's resident memory, not 0", async () => {
    const folder = await tempModels({ "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") } });
    const svc = await spawnService({ MODELS_DIR: folder.dir });
    try {
      const response = await fetch(`${svc.url}/metrics`);
      expect(response.status).toBe(200);
      expect(sample(await response.text(), RESIDENT)).toBeGreaterThan(10 * 2 ** 20);
    } finally {
      svc.proc.kill("SIGTERM");
      await svc.proc.exited;
      await folder.cleanup();
    }
  }, 120_000);
});
