import type { ModelCache } from "../cache/model-cache.ts";
import type { ModelStatus } from "../cache/model-types.ts";
import type { AdminEntry, ModelResult, ReplicaOutcome } from "./admin-entry.ts";

/** What applying an entry needs from the replica. */
export interface ApplierDeps {
  replicaId: string;
  cache: ModelCache;
  /** Whether placement gives this replica a copy of `name`, counting `name` as wanted and failures as worth a new try. */
  placedHere(name: string): Promise<boolean>;
  /** Unix ms when this process started: a reload logged before it is already done (the files were read after). */
  startedAtMs: number;
}

/** Statuses in which this replica holds the model: a reload is its business. */
const HELD: readonly ModelStatus[] = ["loaded", "loading"];

/**
 * Carries out one admin-log entry on this replica, and says what came of it for each model:
 *
 * - a full reload looks for new and removed files, then reloads what this replica holds (new
 *   models are left to placement);
 * - a reload or load that names models reloads them where they are held, and loads them where
 *   placement puts a copy (a replica where it failed gets a fresh try); elsewhere the answer is
 *   `not_held`;
 * - an unload unloads the model here (its requests in flight finish first).
 *
 * @example
 * const outcome = await applyAdminEntry(entry, { replicaId: "pod-a", cache, placedHere, startedAtMs });
 */
export async function applyAdminEntry(entry: AdminEntry, deps: ApplierDeps): Promise<ReplicaOutcome> {
  const started = performance.now();
  const models = await resultsOf(entry, deps);
  return { replica: deps.replicaId, models, duration_ms: Math.round(performance.now() - started) };
}

async function resultsOf(entry: AdminEntry, { cache, placedHere, startedAtMs }: ApplierDeps): Promise<ModelResult[]> {
  if (entry.op === "reload" && entry.at < startedAtMs) {
    return (entry.models ?? []).map((name) => ({ name, result: "current" }));
  }
  if (entry.models === undefined) {
    await cache.rescan();
    // What it holds, and what failed here (a full reload retries failed models, as on a replica on its own).
    const held = cache.modelNames.filter((name) => [...HELD, "failed"].includes(cache.status(name)!) && cache.spec(name)?.modelType !== "custom");
    const summary = await cache.reload(held);
    return [...summary.loaded.map((name) => ({ name, result: "reloaded" as const })), ...summary.failed.map((name) => failed(cache, name))];
  }
  return Promise.all(
    entry.models.map(async (name): Promise<ModelResult> => {
      const status = cache.status(name);
      if (status === undefined) return { name, result: "unknown" };
      if (entry.op === "unload") {
        await cache.unloadModel(name);
        return { name, result: status === "loaded" || status === "loading" ? "unloaded" : "not_held" };
      }
      // Reloaded where held; loaded (or tried again, after a failure) where placement puts a copy.
      const holds = HELD.includes(status);
      if (!holds && !(await placedHere(name))) return { name, result: "not_held" };
      const outcome = await cache.loadModel(name);
      if (!outcome.ok) return { name, result: "failed", error: outcome.error };
      return { name, result: holds ? "reloaded" : "loaded" };
    }),
  );
}

function failed(cache: ModelCache, name: string): ModelResult {
  const entry = cache.entry(name);
  return { name, result: "failed", error: entry?.last_error ?? entry?.error ?? "the load failed" };
}
