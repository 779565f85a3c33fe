import { hostname } from "node:os";
import { ConfigError } from "./config-error.ts";
import { readChoice, readInteger, readText, type RawSettings } from "./parse-setting.ts";

/** What a replica does with a request for a model it does not hold. */
export const CLUSTER_MISS_POLICIES = ["forward", "load"] as const;
export type ClusterMissPolicy = (typeof CLUSTER_MISS_POLICIES)[number];

/** Cluster mode's settings; present only when `CLUSTER_REDIS_URL` is set. */
export interface ClusterConfig {
  /** Redis that coordinates the replicas (`CLUSTER_REDIS_URL`, `redis://` or `rediss://`). */
  redisUrl: string;
  /** Prefix of every Redis key, so several clusters can share one Redis (`CLUSTER_NAME`, default model-cache). */
  name: string;
  /** This replica's id, unique in the cluster (`CLUSTER_REPLICA_ID`, default the host name: a pod's name). */
  replicaId: string;
  /**
   * Base URL other replicas reach this one at (`CLUSTER_ADVERTISE_URL`); `undefined`: `http://` +
   * `HOST` (or the host name when HOST listens on every interface) + the port it listens on.
   */
  advertiseUrl: string | undefined;
  /** How often a replica renews its record (`CLUSTER_HEARTBEAT_MS`, default 1000). */
  heartbeatMs: number;
  /**
   * A record not renewed this long expires: the replica counts as gone and its models are placed
   * elsewhere (`CLUSTER_EXPIRY_MS`, default 5000; more than twice the heartbeat).
   */
  expiryMs: number;
  /** How long a cluster-wide reload, load or unload waits for each replica's outcome (`CLUSTER_ADMIN_TIMEOUT_MS`, default 60000). */
  adminTimeoutMs: number;
  /** `CLUSTER_MISS`: `forward` (default) a request for a model not held here to a holder, or `load` it here when it fits. */
  miss: ClusterMissPolicy;
  /**
   * Requests a minute one copy of a model serves before the cluster adds a copy
   * (`CLUSTER_SCALE_UP_RPM`, default 2000 as ModelMesh's MM_SCALEUP_RPM_THRESHOLD; 0: never).
   */
  scaleUpRpm: number;
  /** A copy that placement no longer needs is unloaded once unneeded this long (`CLUSTER_SCALE_DOWN_MS`, default 300000). */
  scaleDownMs: number;
}

/** Every cluster setting but CLUSTER_REDIS_URL (only the ones named here: other CLUSTER_* variables are left alone). */
const CLUSTER_SETTINGS = [
  "CLUSTER_NAME",
  "CLUSTER_REPLICA_ID",
  "CLUSTER_ADVERTISE_URL",
  "CLUSTER_HEARTBEAT_MS",
  "CLUSTER_EXPIRY_MS",
  "CLUSTER_ADMIN_TIMEOUT_MS",
  "CLUSTER_MISS",
  "CLUSTER_SCALE_UP_RPM",
  "CLUSTER_SCALE_DOWN_MS",
] as const;

/** Replica ids and cluster names: what a Redis key and a log line carry safely. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Reads the cluster settings; `undefined` when `CLUSTER_REDIS_URL` is unset (one replica on its
 * own, as before). Throws a {@link ConfigError} naming the first setting that cannot be used.
 *
 * @example
 * readClusterConfig({ CLUSTER_REDIS_URL: "redis://redis:6379", CLUSTER_REPLICA_ID: "a" })?.replicaId; // "a"
 */
export function readClusterConfig(env: RawSettings): ClusterConfig | undefined {
  const redisUrl = readText(env, "CLUSTER_REDIS_URL");
  if (redisUrl === undefined) {
    const orphan = CLUSTER_SETTINGS.find((key) => readText(env, key) !== undefined);
    if (orphan !== undefined) throw new ConfigError(orphan, "needs CLUSTER_REDIS_URL (cluster mode is off without it)");
    return undefined;
  }
  if (!/^rediss?:$/.test(urlOf(redisUrl, "CLUSTER_REDIS_URL", "redis://host:6379").protocol)) {
    throw new ConfigError("CLUSTER_REDIS_URL", "must start with redis:// or rediss://");
  }
  const name = readId(env, "CLUSTER_NAME") ?? "model-cache";
  const replicaId = readId(env, "CLUSTER_REPLICA_ID") ?? defaultReplicaId();
  const advertiseText = readText(env, "CLUSTER_ADVERTISE_URL");
  if (advertiseText !== undefined) {
    const url = urlOf(advertiseText, "CLUSTER_ADVERTISE_URL", "http://10.0.0.7:3000");
    if (!/^https?:$/.test(url.protocol) || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
      throw new ConfigError("CLUSTER_ADVERTISE_URL", `must be a base URL such as http://10.0.0.7:3000 (no path), got "${advertiseText}"`);
    }
  }
  const heartbeatMs = readInteger(env, "CLUSTER_HEARTBEAT_MS", 1000, { min: 50, max: 60_000 });
  const expiryMs = readInteger(env, "CLUSTER_EXPIRY_MS", 5000, { min: 150, max: 600_000 });
  if (expiryMs <= 2 * heartbeatMs) {
    throw new ConfigError("CLUSTER_EXPIRY_MS", `must be more than twice CLUSTER_HEARTBEAT_MS (${heartbeatMs}), got ${expiryMs}: one late heartbeat must not drop a replica`);
  }
  return {
    redisUrl,
    name,
    replicaId,
    advertiseUrl: advertiseText?.replace(/\/$/, ""),
    heartbeatMs,
    expiryMs,
    adminTimeoutMs: readInteger(env, "CLUSTER_ADMIN_TIMEOUT_MS", 60_000, { min: 100, max: 3_600_000 }),
    miss: readChoice(env, "CLUSTER_MISS", CLUSTER_MISS_POLICIES, "forward"),
    scaleUpRpm: readInteger(env, "CLUSTER_SCALE_UP_RPM", 2000, { min: 0, max: 100_000_000 }),
    scaleDownMs: readInteger(env, "CLUSTER_SCALE_DOWN_MS", 300_000, { min: 0, max: 86_400_000 }),
  };
}

function readId(env: RawSettings, key: string): string | undefined {
  const text = readText(env, key);
  if (text !== undefined && !ID.test(text)) {
    throw new ConfigError(key, `must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, got "${text}"`);
  }
  return text;
}

/** A pod's host name is its name: unique among the replicas of a Deployment. */
function defaultReplicaId(): string {
  const name = hostname().replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63);
  return name === "" ? "replica" : name;
}

function urlOf(text: string, key: string, example: string): URL {
  try {
    return new URL(text);
  } catch {
    // The value may hold a password: say what is wrong without repeating it.
    throw new ConfigError(key, `must be a URL such as ${example}`);
  }
}
