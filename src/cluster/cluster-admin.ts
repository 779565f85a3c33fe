import type { ModelCache } from "../cache/model-cache.ts";
import { UnavailableError } from "../errors/app-error.ts";
import { modelNotFound } from "../errors/model-not-found.ts";
import type { AdminOp, ModelResult } from "./admin-entry.ts";
import type { ClusterNode } from "./cluster-node.ts";

/** One replica's part in a cluster-wide operation, as the answer lists it. */
export interface ReplicaReport {
  replica: string;
  /** `done`: it answered; `timed_out`: no answer within `CLUSTER_ADMIN_TIMEOUT_MS` (it applies the entry when it can); `left`: its record expired meanwhile (it applies the entry when it returns). */
  status: "done" | "timed_out" | "left";
  models: ModelResult[];
  duration_ms: number | null;
}

/** What a cluster-wide operation came to. */
export interface ClusterAdminResult {
  /** The admin log entry. */
  entry: string;
  replicas: ReplicaReport[];
}

/** How often the replica that took the request looks for outcomes. */
const POLL_MS = 25;

/**
 * Cluster-wide reload, load and unload, as the admin routes call them on whichever replica took
 * the request: the operation is appended to the admin log (an unload adds its models to the set
 * of models unloaded on purpose, a load or reload by name takes them out, in the same
 * transaction: a failure before it changes nothing), every live replica carries it out, and the
 * answer lists each one's outcome, or says it timed out or left. Names unknown here are refused
 * (404) before anything is logged. Without Redis nothing is done: 503.
 *
 * @example
 * const admin = new ClusterAdmin(node, cache);
 * const { replicas } = await admin.run("reload", ["iris"]);
 */
export class ClusterAdmin {
  constructor(
    private readonly node: ClusterNode,
    private readonly cache: ModelCache,
  ) {}

  async run(op: AdminOp, models: string[] | undefined): Promise<ClusterAdminResult> {
    const { node } = this;
    const names = models === undefined ? undefined : [...new Set(models)].sort();
    for (const name of names ?? []) if (this.cache.status(name) === undefined) throw modelNotFound(name);
    if (!node.redisUp) {
      throw new UnavailableError(`The cluster's Redis is unreachable: a cluster-wide ${op} cannot be carried out now, and nothing was changed`, "cluster_unavailable");
    }
    try {
      // Read first: a failure before the entry is published changes nothing.
      const expected = (await node.membership.read()).map((replica) => replica.id);
      if (!expected.includes(node.id)) expected.push(node.id);
      const entry = await node.adminLog.publish(op, names, node.id);
      return { entry, replicas: await this.gather(entry, expected) };
    } catch (error) {
      if (error instanceof UnavailableError) throw error;
      throw new UnavailableError(`The cluster's Redis failed during a cluster-wide ${op}: ${error instanceof Error ? error.message : String(error)}`, "cluster_unavailable");
    }
  }

  /** Waits for each expected replica's outcome until it answers, leaves, or the time-out passes. */
  private async gather(entry: string, expected: string[]): Promise<ReplicaReport[]> {
    const { node } = this;
    const deadline = Date.now() + node.config.adminTimeoutMs;
    const reports = new Map<string, ReplicaReport>();
    let nextLivenessCheck = Date.now() + node.config.heartbeatMs;
    while (reports.size < expected.length && Date.now() < deadline) {
      const outcomes = await node.adminLog.outcomes(entry).catch(() => new Map());
      for (const [replica, outcome] of outcomes) {
        if (expected.includes(replica)) reports.set(replica, { replica, status: "done", models: outcome.models, duration_ms: outcome.duration_ms });
      }
      if (Date.now() >= nextLivenessCheck && node.redisUp) {
        nextLivenessCheck = Date.now() + node.config.heartbeatMs;
        const live = new Set((await node.membership.read().catch(() => [])).map((replica) => replica.id));
        for (const replica of expected) {
          if (!reports.has(replica) && !live.has(replica) && replica !== node.id) reports.set(replica, { replica, status: "left", models: [], duration_ms: null });
        }
      }
      if (reports.size < expected.length) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return expected.sort().map((replica) => reports.get(replica) ?? { replica, status: "timed_out", models: [], duration_ms: null });
  }
}

/** A cluster-wide operation in brief: models that succeeded on every replica that acted, models that failed somewhere (with why), replicas that did not answer. */
export interface AdminSummary {
  succeeded: string[];
  failed: string[];
  problems: string[];
}

/**
 * Sums up each replica's outcome.
 *
 * @example
 * summarize(result).failed; // ["iris"] when iris failed to load on any replica
 */
export function summarize(result: ClusterAdminResult): AdminSummary {
  const ok = new Set<string>();
  const failed = new Set<string>();
  const problems: string[] = [];
  for (const report of result.replicas) {
    if (report.status !== "done") problems.push(`${report.replica} ${report.status === "left" ? "left the cluster" : "timed out"}`);
    for (const model of report.models) {
      if (model.result === "failed") {
        failed.add(model.name);
        problems.push(`${model.name} failed on ${report.replica}${model.error === undefined ? "" : `: ${model.error}`}`);
      } else if (model.result !== "not_held" && model.result !== "unknown") ok.add(model.name);
    }
  }
  return { succeeded: [...ok].filter((name) => !failed.has(name)).sort(), failed: [...failed].sort(), problems };
}
