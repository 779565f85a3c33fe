import type { Health } from "../cache/health.ts";
import type { ClusterNode } from "./cluster-node.ts";

/**
 * Health in cluster mode: while Redis is unreachable a healthy replica says `degraded` (it
 * serves what it holds; cluster-wide admin and placement wait for Redis). Readiness is not
 * changed: a replica that holds its models stays ready.
 *
 * @example
 * const health = clusterHealth(cache.health(), node);
 */
export function clusterHealth(health: Health, node: ClusterNode): Health {
  const down = node.redisDownSince;
  if (down === undefined || (health.status !== "healthy" && health.status !== "degraded")) return health;
  const seconds = Math.round((Date.now() - down) / 1000);
  return {
    ...health,
    status: "degraded",
    message: `${health.message}; the cluster's Redis has been unreachable for ${seconds} s: serving the models held here, cluster-wide admin and placement wait for it`,
  };
}
