import type { ModelCache } from "../cache/model-cache.ts";
import type { ClusterMissPolicy } from "../config/cluster-config.ts";
import type { Logger } from "../logging/logger.ts";
import { NOT_HELD_HEADER, type Forwarder, type Holder } from "./forwarder.ts";
import type { ClusterSnapshot } from "./cluster-node.ts";

/** What the router reads about the cluster. */
export interface MissRouterOptions {
  replicaId: string;
  cache: ModelCache;
  forwarder: Forwarder;
  miss: ClusterMissPolicy;
  log: Logger;
  /** The last view read from Redis (forwarding goes on with it while Redis is down). */
  snapshot(): ClusterSnapshot | undefined;
  /** True while this replica leaves the cluster. */
  leaving(): boolean;
}

/**
 * Where a request goes: answered elsewhere (or refused), served here as it is, or served here
 * with its body sent again (forwarding read it, and no holder answered).
 */
export type RouteDecision = { answer: Response } | { here: true } | { here: true; body: ReadableStream<Uint8Array> | null };

const HERE: RouteDecision = { here: true };

/** Statuses in which this replica serves the model itself (a load under way is waited for). */
const SERVED_HERE = new Set(["loaded", "loading"]);

/**
 * Decides where a request for a model is served. Held here: here. Not held here: with
 * `CLUSTER_MISS=forward`, by a holder (one hop, holders in turn); with `load`, here when the model
 * fits in this replica's free memory, else by a holder. When no holder exists or none could
 * answer, the model is loaded here and the request waits for it — so a request fails only when
 * the model cannot be served anywhere. A request that was forwarded to this replica is never
 * forwarded again: if the model is not held here (a copy just dropped, or this replica is
 * leaving) it is answered 503 with `X-Model-Cache-Not-Held`, and the replica that forwarded it
 * tries the next holder.
 *
 * @example
 * const decision = await router.route(request, ["iris"], requestId, forwardedBy);
 * if ("answer" in decision) return decision.answer;
 */
export class MissRouter {
  private turn = 0;

  constructor(private readonly options: MissRouterOptions) {}

  /**
   * Where a request is served. `records` are the cache records it may use (one, or each variant
   * its model's routing may pick); `forwardedBy` is its forwarded header.
   */
  async route(request: Request, records: string[], requestId: string, forwardedBy: string | null): Promise<RouteDecision> {
    const { cache, log } = this.options;
    const statuses = records.map((record) => cache.status(record));
    const snapshot = this.options.snapshot();
    const pinned = records.some((record) => this.unloadedOnPurpose(record, snapshot));
    const here = statuses.every((status) => status !== undefined && SERVED_HERE.has(status));
    const label = records.join(", ");
    if (forwardedBy !== null) {
      if (this.options.leaving() || (!here && !pinned && statuses.every((status) => status !== undefined))) {
        return { answer: notHeld(label, this.options.replicaId, requestId, isOip(request)) };
      }
      return HERE;
    }
    if (here || pinned) return HERE;
    const known = statuses.every((status) => status !== undefined);
    const holders = this.holders(records, snapshot);
    if (!known && holders.length === 0) return HERE;
    if (known && this.options.miss === "load" && this.fitsHere(records, snapshot)) return this.loadHere(records);
    if (holders.length === 0) return this.loadHere(records);
    const result = await this.options.forwarder.forward(request, requestId, holders);
    if (result.response !== undefined) return { answer: result.response };
    if (result.bodyGone) {
      const message = `No holder of model "${label}" answered (${result.tried.join(", ")}), and the request body was too large to be served here after them`;
      return { answer: jsonError(502, "forward_failed", message, requestId, isOip(request)) };
    }
    log.warn(`No holder of "${label}" answered (${result.tried.join(", ")}); serving it here`, { model: label, request_id: requestId });
    if (known) await this.loadHere(records);
    return { here: true, body: result.body() };
  }

  /** Replicas other than this one that hold every one of `records` loaded, starting from a different one each time. */
  holders(records: string[], snapshot: ClusterSnapshot | undefined): Holder[] {
    const found: Holder[] = [];
    for (const replica of snapshot?.replicas ?? []) {
      if (replica.id === this.options.replicaId || replica.address === "") continue;
      const loaded = new Set(replica.models.filter((entry) => entry.status === "loaded").map((entry) => entry.name));
      if (records.every((record) => loaded.has(record))) found.push({ id: replica.id, address: replica.address });
    }
    if (found.length < 2) return found;
    const start = this.turn++ % found.length;
    return [...found.slice(start), ...found.slice(0, start)];
  }

  private unloadedOnPurpose(model: string, snapshot: ClusterSnapshot | undefined): boolean {
    return snapshot?.unloaded.has(model) ?? false;
  }

  /** Whether the records not loaded here fit in this replica's free memory under its budget (always, without one). */
  private fitsHere(records: string[], snapshot: ClusterSnapshot | undefined): boolean {
    const { cache } = this.options;
    const memory = cache.getRegistry().memory;
    if (memory.budget_bytes === null) return true;
    let needed = 0;
    for (const record of records) {
      if (cache.status(record) === "loaded") continue;
      const sizes = (snapshot?.replicas ?? []).flatMap((replica) => replica.models.filter((entry) => entry.name === record).map((entry) => entry.memory_bytes ?? entry.size_bytes ?? 0));
      needed += Math.max(cache.entry(record)?.size_bytes ?? 0, ...sizes);
    }
    return memory.budget_bytes - memory.used_bytes - memory.reserved_bytes >= needed;
  }

  /** Loads the records here (the request then finds them loaded, or the cache's own error). */
  private async loadHere(records: string[]): Promise<RouteDecision> {
    const { cache } = this.options;
    await Promise.all(records.filter((record) => cache.status(record) !== undefined).map((record) => cache.ensureLoaded(record).catch(() => undefined)));
    return HERE;
  }
}

function notHeld(model: string, replicaId: string, requestId: string, oip: boolean): Response {
  // "does not hold model …" is what the replica that forwarded the request logs.
  const response = jsonError(503, "not_held", `Replica ${replicaId} does not hold model "${model}"`, requestId, oip);
  response.headers.set(NOT_HELD_HEADER, replicaId);
  return response;
}

/** The Open Inference Protocol's routes answer errors as `{ "error": "message" }`, the others with a code too. */
function isOip(request: Request): boolean {
  return new URL(request.url).pathname.startsWith("/v2");
}

function jsonError(status: number, code: string, message: string, requestId: string, oip: boolean): Response {
  return new Response(JSON.stringify(oip ? { error: message } : { error: { code, message } }), {
    status,
    headers: { "content-type": "application/json;charset=utf-8", "x-request-id": requestId },
  });
}
