import type { ModelCache } from "../cache/model-cache.ts";
import type { Logger } from "../logging/logger.ts";
import type { ModelPlacement } from "./placement-plan.ts";

/** What the placement loop works with. */
export interface PlacementOptions {
  replicaId: string;
  cache: ModelCache;
  log: Logger;
  /** A copy the plan no longer needs is dropped once unneeded this long (`CLUSTER_SCALE_DOWN_MS`). */
  scaleDownMs: number;
  /** How long other replicas may still see this one as a holder after it stops saying so (a heartbeat). */
  heartbeatMs: number;
  /** Takes the cluster-wide drop lock of a model; false when another replica holds it. */
  lock(model: string): Promise<boolean>;
  unlock(model: string): Promise<void>;
  /** The plan from records read now, for the last check before a drop. */
  freshPlan(): Promise<Map<string, ModelPlacement>>;
  /** Sends this replica's record now (after a change others must see at once). */
  beatNow(): Promise<void>;
  /**
   * How long a model no replica holds yet waits for every live replica to list it before its
   * first copies are placed (the cluster's expiry): replicas that share a models folder notice a
   * new file at slightly different times, and a plan made before they all did could differ from
   * theirs.
   */
  newModelWaitMs: number;
}

/** Pause after a failed placement load before this replica tries that model again; doubled up to 5 minutes. */
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 300_000;

/**
 * Carries out this replica's share of the plan: loads the models it should hold and does not,
 * and drops the copies it holds that the plan no longer needs once they stayed unneeded for
 * `scaleDownMs`. A drop is safe by construction: under a cluster-wide lock of the model it
 * re-reads the records and drops only if enough *other* replicas hold the model loaded; it stops
 * calling itself a holder (so others stop forwarding) a heartbeat before it unloads, and the
 * unload lets requests in flight finish. So no sequence of decisions drops the last copy, and
 * the cluster never counts a copy that is gone: holders are read from live records only. A load,
 * likewise, is checked against a fresh read first: an unload on purpose carried out here while the
 * heartbeat's read was in flight leaves the model looking merely missing in that read.
 *
 * @example
 * const placement = new Placement({ replicaId: "pod-a", cache, log, scaleDownMs: 300_000, … });
 * placement.act(planPlacement(input), input.replicas.length);
 */
export class Placement {
  private readonly loading = new Set<string>();
  private readonly dropping = new Set<string>();
  private readonly surplusSince = new Map<string, number>();
  private readonly retryAt = new Map<string, { at: number; wait: number }>();
  /** When each model no replica held was first seen in a plan. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly options: PlacementOptions) {}

  /** Models this replica is dropping: its record already says it does not hold them. */
  get draining(): ReadonlySet<string> {
    return this.dropping;
  }

  /** Acts on a plan made from `replicas` live records: starts the loads and drops it calls for here (without waiting for them). */
  act(plan: Map<string, ModelPlacement>, replicas: number): void {
    const { replicaId, cache, scaleDownMs } = this.options;
    const now = Date.now();
    for (const [name, placement] of plan) {
      const status = cache.status(name);
      if (status === undefined) continue;
      if (placement.holders.length + placement.loading.length > 0) this.firstSeen.delete(name);
      else if (placement.reporters < replicas && now - (this.firstSeen.get(name) ?? now) < this.options.newModelWaitMs) {
        if (!this.firstSeen.has(name)) this.firstSeen.set(name, now);
        continue;
      }
      if (placement.target.includes(replicaId)) {
        this.surplusSince.delete(name);
        const retry = this.retryAt.get(name);
        if (status !== "loaded" && status !== "loading" && !this.loading.has(name) && (retry === undefined || now >= retry.at)) void this.load(name);
      } else if (status === "loaded" && !this.loading.has(name)) {
        const since = this.surplusSince.get(name) ?? now;
        this.surplusSince.set(name, since);
        if (now - since >= scaleDownMs && !this.dropping.has(name)) void this.drop(name);
      } else {
        this.surplusSince.delete(name);
      }
    }
    for (const name of this.firstSeen.keys()) if (!plan.has(name)) this.firstSeen.delete(name);
  }

  private async load(name: string): Promise<void> {
    const { replicaId, cache, log } = this.options;
    this.loading.add(name);
    try {
      // The plan acted on may predate an unload on purpose carried out here since: check a fresh one.
      const placement = (await this.options.freshPlan()).get(name);
      if (placement === undefined || !placement.target.includes(replicaId)) return;
      log.info(`Cluster placement: loading "${name}" here`, { model: name });
      const entry = await cache.ensureLoaded(name);
      if (entry.status === "loaded") {
        this.retryAt.delete(name);
        return;
      }
      const wait = Math.min(MAX_RETRY_MS, (this.retryAt.get(name)?.wait ?? FIRST_RETRY_MS / 2) * 2);
      this.retryAt.set(name, { at: Date.now() + wait, wait });
      log.warn(`Cluster placement: "${name}" did not load here (${entry.error ?? entry.status}); next try in ${Math.round(wait / 1000)} s`, { model: name });
    } catch (error) {
      log.warn(`Cluster placement: loading "${name}" failed (${error instanceof Error ? error.message : String(error)})`, { model: name });
    } finally {
      this.loading.delete(name);
    }
  }

  private async drop(name: string): Promise<void> {
    const { replicaId, cache, log } = this.options;
    if (!(await this.options.lock(name).catch(() => false))) return;
    this.dropping.add(name);
    try {
      const placement = (await this.options.freshPlan()).get(name);
      const others = placement?.holders.filter((id) => id !== replicaId).length ?? 0;
      if (placement === undefined || placement.target.includes(replicaId) || others < placement.desired || (placement.desired > 0 && others === 0)) return;
      // Say "not held" first and give the others a heartbeat to stop forwarding here.
      await this.options.beatNow();
      await new Promise((resolve) => setTimeout(resolve, this.options.heartbeatMs));
      if (cache.status(name) !== "loaded") return;
      log.info(`Cluster placement: dropping this copy of "${name}" (${others} other ${others === 1 ? "copy" : "copies"}, ${placement.desired} needed)`, { model: name });
      await cache.unloadModel(name);
      this.surplusSince.delete(name);
    } catch (error) {
      log.warn(`Cluster placement: dropping "${name}" failed (${error instanceof Error ? error.message : String(error)})`, { model: name });
    } finally {
      this.dropping.delete(name);
      await this.options.unlock(name).catch(() => undefined);
    }
  }
}
