import type { ModelCache } from "../cache/model-cache.ts";
import type { RequestRate } from "./request-rate.ts";
import type { ReplicaModel, ReplicaRecord } from "./replica-record.ts";

/** Who a replica is, fixed for the life of its process. */
export interface ReplicaIdentity {
  id: string;
  address: string;
  instance: string;
  /** Unix seconds. */
  startedAt: number;
}

/** Model types that every replica keeps for itself: the lexicon (every sentiment answer's fallback) and models set through the API. */
const LOCAL_TYPES = new Set(["lexicon", "custom"]);

/**
 * This replica's record as of now, from its cache's registry: every model it can serve with its
 * status, version, memory and request rate, its memory budget and use, and its load. `deferred`
 * names the models it would have preloaded but left to placement.
 *
 * @example
 * const record = describeReplica(identity, cache, rate, new Set());
 */
export function describeReplica(identity: ReplicaIdentity, cache: ModelCache, rate: RequestRate, deferred: ReadonlySet<string>): ReplicaRecord {
  const registry = cache.getRegistry();
  let inFlight = 0;
  const models: ReplicaModel[] = [];
  for (const entry of registry.models) {
    inFlight += entry.in_flight;
    if (LOCAL_TYPES.has(entry.model_type)) continue;
    const id = entry.id ?? entry.name;
    models.push({
      name: id,
      model: entry.name,
      version: entry.version,
      status: entry.status,
      memory_bytes: entry.status === "loaded" ? entry.memory_bytes : null,
      size_bytes: entry.size_bytes,
      requests_per_minute: rate.perMinute(id),
      copies: cache.spec(id)?.copies ?? null,
      wanted: entry.preload || entry.required || deferred.has(id),
      required: entry.required,
    });
  }
  return {
    ...identityFields(identity),
    memory: { budget_bytes: registry.memory.budget_bytes, used_bytes: registry.memory.used_bytes + registry.memory.reserved_bytes },
    load: { in_flight: inFlight, requests_per_minute: rate.total() },
    models,
  };
}

/** The record of a replica that has only just joined: no model held yet, only the catalogue it can serve. */
export function joiningRecord(identity: ReplicaIdentity, catalogue: Omit<ReplicaModel, "status" | "memory_bytes" | "requests_per_minute">[], budgetBytes: number | null): ReplicaRecord {
  return {
    ...identityFields(identity),
    memory: { budget_bytes: budgetBytes, used_bytes: 0 },
    load: { in_flight: 0, requests_per_minute: 0 },
    models: catalogue.map((model) => ({ ...model, status: "pending", memory_bytes: null, requests_per_minute: 0 })),
  };
}

/** Who the replica is, and the time of this heartbeat (seconds), as every record carries them. */
function identityFields(identity: ReplicaIdentity): Pick<ReplicaRecord, "id" | "address" | "instance" | "started_at" | "heartbeat_at"> {
  return { id: identity.id, address: identity.address, instance: identity.instance, started_at: identity.startedAt, heartbeat_at: Date.now() / 1000 };
}
