/**
 * Resident memory around a reload of the large model (`bun run bench`): model-cache loads the new
 * instance behind the serving one, swaps, then releases the old one. Samples the service's
 * process tree every 50 ms from before the reload until 5 s after it answered.
 */
import type { BenchModel } from "./models/bench-model-folders.ts";
import { modelCacheCommand } from "./rows.ts";
import { ServerProcess } from "./server-process.ts";

/** What a reload did to memory. */
export interface ReloadMemory {
  beforeBytes: number;
  peakBytes: number;
  /** Memory 1 s and 5 s after the reload answered. */
  after1sBytes: number;
  after5sBytes: number;
  reloadMs: number;
  /** How long after the reload answered memory was back, for good, within 10 % of `beforeBytes` (undefined: not within 5 s). */
  backWithinMs: number | undefined;
}

const ADMIN = "bench-admin-token-0123456789";

/** Starts model-cache on `model`, lets it settle, reloads the model and watches its memory. */
export async function measureReload(model: BenchModel, port: number, extraEnv: Record<string, string> = {}): Promise<ReloadMemory> {
  const server = await ServerProcess.start(modelCacheCommand(model, extraEnv), port);
  try {
    await Bun.sleep(5000);
    const beforeBytes = server.rss();
    let peakBytes = beforeBytes;
    let sampling = true;
    const samples: { at: number; bytes: number }[] = [];
    const sampler = (async () => {
      while (sampling) {
        const bytes = server.rss();
        peakBytes = Math.max(peakBytes, bytes);
        samples.push({ at: performance.now(), bytes });
        await Bun.sleep(50);
      }
    })();
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/models/reload`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ models: [model.name] }),
    });
    if (!response.ok) throw new Error(`reload answered ${response.status}: ${await response.text()}`);
    const reloadMs = performance.now() - started;
    await Bun.sleep(1000);
    const after1sBytes = server.rss();
    await Bun.sleep(4000);
    const after5sBytes = server.rss();
    sampling = false;
    await sampler;
    // From when on memory stayed within 10 % of the figure before (not merely touched it).
    const answered = started + reloadMs;
    const after = samples.filter((sample) => sample.at >= answered);
    const lastHigh = after.findLastIndex((sample) => sample.bytes > beforeBytes * 1.1);
    const back = after[lastHigh + 1];
    return { beforeBytes, peakBytes, after1sBytes, after5sBytes, reloadMs, backWithinMs: back === undefined ? undefined : back.at - answered };
  } finally {
    await server.stop();
  }
}
