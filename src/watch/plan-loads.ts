import type { ModelSpec, ModelStatus } from "../cache/model-types.ts";

/** One registered model as the watcher sees it after a rescan. */
export interface ModelView {
  spec: Readonly<ModelSpec>;
  status: ModelStatus;
}

/** A model to load or reload, and why. */
export interface PlannedLoad {
  name: string;
  reason: "added" | "files changed" | "manifest changed";
}

/** What a settled change in the models folder means for the registry. */
export interface PlanInput {
  /** Top-level entries of the models folder whose change settled. */
  changed: ReadonlySet<string>;
  /** Top-level entries still being written: nothing of theirs is loaded. */
  settling: (entry: string) => boolean;
  /** What each model's spec said when the watcher last acted (see {@link specKey}). */
  before: ReadonlyMap<string, string>;
  /** Every registered model, after the rescan. */
  after: ReadonlyMap<string, ModelView>;
}

/**
 * Decides which models to load after a rescan, from what discovery now says rather than from the
 * keys of the manifest, so any setting a manifest gains later is applied the same way: a model
 * whose files changed, or whose spec changed (version, path, type, preload…), is reloaded if it
 * is loaded, failed or loading; a new model, or one whose `preload` turned true, is loaded if it
 * should load at start; a model unloaded on purpose, evicted by the memory budget, or left to
 * load on first use, stays so.
 * Models removed from the folder are dropped by the rescan itself.
 *
 * @example
 * planLoads({ changed: new Set(["iris.onnx"]), settling: () => false, before, after });
 * // [{ name: "iris", reason: "files changed" }]
 */
export function planLoads({ changed, settling, before, after }: PlanInput): PlannedLoad[] {
  const plan: PlannedLoad[] = [];
  for (const [name, { spec, status }] of after) {
    const entry = spec.source?.split("/")[0];
    if (entry !== undefined && settling(entry)) continue;
    const previous = before.get(name);
    const reason: PlannedLoad["reason"] | undefined =
      previous === undefined ? "added" : entry !== undefined && changed.has(entry) ? "files changed" : previous !== specKey(spec) ? "manifest changed" : undefined;
    // Evicted by the memory budget: its next request loads the new files; loading it now would evict another.
    if (reason === undefined || status === "unloaded" || status === "evicted") continue;
    if (status === "skipped" && !spec.preload) continue;
    plan.push({ name, reason });
  }
  return plan.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * A spec as text for comparison, without its size: a file's size changes with its content, which
 * the watcher follows through settled changes, never through a half-written size seen by a scan.
 */
export function specKey(spec: Readonly<ModelSpec>): string {
  // Neither the size nor the number of copies (a placement matter, in cluster mode) needs a reload.
  const { sizeBytes: _size, copies: _copies, ...rest } = spec;
  return JSON.stringify(rest);
}
