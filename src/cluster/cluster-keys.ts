/**
 * The Redis keys of one cluster, all under `<CLUSTER_NAME>:` so that several clusters (or test
 * runs) can share one Redis.
 *
 * @example
 * const keys = clusterKeys("model-cache");
 * keys.replica("pod-a"); // "model-cache:replica:pod-a"
 */
export function clusterKeys(name: string) {
  const prefix = `${name}:`;
  return {
    /** One replica's record (JSON), set with an expiry at every heartbeat. */
    replica: (id: string) => `${prefix}replica:${id}`,
    /** Ids of the replicas that sent a heartbeat; ids whose record expired are pruned by readers. */
    replicas: `${prefix}replicas`,
    /** The admin log: a stream of reload, load and unload operations. */
    admin: `${prefix}admin`,
    /** The last admin-log entry a replica applied (its position in the log). */
    position: (id: string) => `${prefix}position:${id}`,
    /** Each replica's outcome of one admin-log entry (a hash: replica id → JSON). */
    outcome: (entry: string) => `${prefix}outcome:${entry}`,
    /** Models unloaded on purpose cluster-wide: placement leaves them unloaded until a load. */
    unloaded: `${prefix}unloaded`,
    /** Held by a replica while it drops its copy of a model, so that two never drop the last copies at once. */
    dropLock: (model: string) => `${prefix}drop-lock:${model}`,
  };
}

/** The keys of one cluster. */
export type ClusterKeys = ReturnType<typeof clusterKeys>;
