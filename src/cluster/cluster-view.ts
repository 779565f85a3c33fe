import type { ClusterNode, ClusterSnapshot } from "./cluster-node.ts";

/** One replica in the cluster view. */
export interface ReplicaView {
  id: string;
  address: string;
  /** Unix seconds. */
  started_at: number;
  /** Unix seconds of its last heartbeat (its own clock). */
  last_heartbeat: number;
  /** Models it holds loaded. */
  models: { name: string; version: string; memory_bytes: number | null }[];
  /** Models it is loading. */
  loading: string[];
  load: { in_flight: number; requests_per_minute: number };
  memory: { budget_bytes: number | null; used_bytes: number };
}

/** One model (one version of a versioned model) in the cluster view. */
export interface ModelView {
  /** The model's name, as clients ask for it. */
  name: string;
  version: string;
  /** The cache record: the name, or `name@version` for one version of a versioned model. */
  id: string;
  /** Replicas that hold it loaded (from live heartbeats only). */
  holders: string[];
  loading: string[];
  /** Manifest `copies`. */
  copies: number | "all";
  /** Copies placement wants now (more than `copies` while the request rate needs them). */
  desired_copies: number;
  requests_per_minute: number;
  /** Unloaded on purpose (an admin unload): no copy until a load names it. */
  unloaded: boolean;
}

/** GET /api/v1/cluster. */
export interface ClusterView {
  enabled: boolean;
  /** The replica that answered. */
  replica: string | null;
  redis: "up" | "down" | "off";
  status: "ok" | "degraded" | "off";
  message: string;
  /** Unix seconds when the view was read from Redis (older than now while Redis is down). */
  read_at: number | null;
  replicas: ReplicaView[];
  models: ModelView[];
}

/** The view of a service that runs on its own. */
export const SINGLE_NODE_VIEW: ClusterView = {
  enabled: false,
  replica: null,
  redis: "off",
  status: "off",
  message: "Cluster mode is off (CLUSTER_REDIS_URL is not set): this replica is on its own",
  read_at: null,
  replicas: [],
  models: [],
};

/**
 * The cluster as every replica sees it, read from the live records in Redis: the same from
 * whichever replica answers (but for `replica`, and the moment of reading). While Redis is
 * unreachable, the last view read, marked degraded.
 *
 * @example
 * const view = await describeCluster(node);
 */
export async function describeCluster(node: ClusterNode): Promise<ClusterView> {
  let snapshot: ClusterSnapshot | undefined;
  if (node.redisUp) snapshot = await node.read().catch(() => undefined);
  const fresh = snapshot !== undefined;
  snapshot ??= node.lastSnapshot;
  const plan = snapshot === undefined ? new Map() : node.plan(snapshot);
  const replicas: ReplicaView[] = (snapshot?.replicas ?? []).map((record) => ({
    id: record.id,
    address: record.address,
    started_at: record.started_at,
    last_heartbeat: record.heartbeat_at,
    models: record.models.filter((model) => model.status === "loaded").map(({ model, version, memory_bytes }) => ({ name: model, version, memory_bytes })),
    loading: record.models.filter((model) => model.status === "loading").map((model) => model.name),
    load: record.load,
    memory: record.memory,
  }));
  const models: ModelView[] = [...plan.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, placement]) => ({
      name: placement.model,
      version: placement.version,
      id,
      holders: placement.holders,
      loading: placement.loading,
      copies: placement.copies ?? "all",
      desired_copies: placement.desired,
      requests_per_minute: placement.requestsPerMinute,
      unloaded: snapshot!.unloaded.has(id),
    }));
  const down = node.redisDownSince;
  const message = fresh
    ? `${replicas.length} live ${replicas.length === 1 ? "replica" : "replicas"}`
    : `Redis is unreachable${down === undefined ? "" : ` since ${new Date(down).toISOString()}`}: this is the last view read, and this replica serves the models it holds`;
  return {
    enabled: true,
    replica: node.id,
    redis: fresh ? "up" : "down",
    status: fresh ? "ok" : "degraded",
    message,
    read_at: snapshot === undefined ? null : snapshot.readAt / 1000,
    replicas,
    models,
  };
}
