import { readFileSync } from "node:fs";
import { Gauge, type Registry } from "prom-client";

const RESIDENT = "process_resident_memory_bytes";

/**
 * Keeps `process_resident_memory_bytes` true where `/proc/self/status` cannot be read. On Linux
 * prom-client reads it from that file, and leaves it at 0 when the read fails: Deno opens
 * `/proc/self` only under `--allow-all`, not under `npm run start:deno`'s permissions. There the
 * runtime's own figure (`process.memoryUsage().rss`, which needs no permission) stands in.
 * Virtual memory, heap and open file descriptors have no such figure, and stay 0.
 *
 * @example
 * collectDefaultMetrics({ register: registry });
 * keepResidentMemory(registry);
 */
export function keepResidentMemory(registry: Registry, readStatus: () => string = () => readFileSync("/proc/self/status", "utf8")): void {
  if (process.platform !== "linux" || registry.getSingleMetric(RESIDENT) === undefined) return;
  try {
    readStatus();
    return;
  } catch {
    // Unreadable here: prom-client's figure would stay 0.
  }
  registry.removeSingleMetric(RESIDENT);
  new Gauge({
    name: RESIDENT,
    help: "Resident memory size in bytes.",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
}
