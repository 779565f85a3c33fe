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
 * const decision = await router.route(request, "iris", requestId, forwardedBy);
 * if ("answer" in decision) return decision.answer;
 */
export class MissRouter {
  private turn = 0;

  constructor(private readonly options: MissRouterOptions) {}

  /** Where the request for `model` is served; `forwardedBy` is its forwarded header. */
  async route(request: Request, model: string, requestId: string, forwardedBy: string | null): Promise<RouteDecision> {
    const { cache, log } = this.options;
    const status = cache.status(model);
    const snapshot = this.options.snapshot();
    if (forwardedBy !== null) {
      if (this.options.leaving() || (status !== undefined && !SERVED_HERE.has(status) && !this.unloadedOnPurpose(model, snapshot))) {
        return { answer: notHeld(model, this.options.replicaId, requestId, isOip(request)) };
      }
      return HERE;
    }
    if (status !== undefined && SERVED_HERE.has(status)) return HERE;
    if (this.unloadedOnPurpose(model, snapshot)) return HERE;
    const holders = this.holders(model, snapshot);
    if (status === undefined && holders.length === 0) return HERE;
    if (status !== undefined && this.options.miss === "load" && this.fitsHere(model, snapshot)) return this.loadHere(model);
    if (holders.length === 0) return this.loadHere(model);
    const result = await this.options.forwarder.forward(request, requestId, holders);
    if (result.response !== undefined) return { answer: result.response };
    if (result.bodyGone) {
      const message = `No holder of model "${model}" answered (${result.tried.join(", ")}), and the request body was too large to be served here after them`;
      return { answer: jsonError(502, "forward_failed", message, requestId, isOip(request)) };
    }
    log.warn(`No holder of "${model}" answered (${result.tried.join(", ")}); serving it here`, { model, request_id: requestId });
    if (status !== undefined) await this.loadHere(model);
    return { here: true, body: result.body() };
  }

  /** Loaded replicas that hold `model`, other than this one, starting from a different one each time. */
  holders(model: string, snapshot: ClusterSnapshot | undefined): Holder[] {
    const found: Holder[] = [];
    for (const replica of snapshot?.replicas ?? []) {
      if (replica.id === this.options.replicaId || replica.address === "") continue;
      if (replica.models.some((entry) => entry.name === model && entry.status === "loaded")) found.push({ id: replica.id, address: replica.address });
    }
    if (found.length < 2) return found;
    const start = this.turn++ % found.length;
    return [...found.slice(start), ...found.slice(0, start)];
  }

  private unloadedOnPurpose(model: string, snapshot: ClusterSnapshot | undefined): boolean {
    return snapshot?.unloaded.has(model) ?? false;
  }

  /** Whether a copy fits in this replica's free memory under its budget (always, without one). */
  private fitsHere(model: string, snapshot: ClusterSnapshot | undefined): boolean {
    const memory = this.options.cache.getRegistry().memory;
    if (memory.budget_bytes === null) return true;
    const sizes = (snapshot?.replicas ?? []).flatMap((replica) => replica.models.filter((entry) => entry.name === model).map((entry) => entry.memory_bytes ?? entry.size_bytes ?? 0));
    const size = Math.max(this.options.cache.entry(model)?.size_bytes ?? 0, ...sizes);
    return memory.budget_bytes - memory.used_bytes - memory.reserved_bytes >= size;
  }

  /** Loads the model here (the request then finds it loaded, or the cache's own error). */
  private async loadHere(model: string): Promise<RouteDecision> {
    await this.options.cache.ensureLoaded(model).catch(() => undefined);
    return HERE;
  }
}

function notHeld(model: string, replicaId: string, requestId: string, oip: boolean): Response {
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
