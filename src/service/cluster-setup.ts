import { hostname } from "node:os";
import type { ModelCache } from "../cache/model-cache.ts";
import type { Config } from "../config/config.ts";
import type { Discovery } from "../discovery/discover-models.ts";
import type { Logger } from "../logging/logger.ts";
import { ClusterAdmin } from "../cluster/cluster-admin.ts";
import type { ClusterFace } from "../cluster/cluster-face.ts";
import { ClusterNode } from "../cluster/cluster-node.ts";
import { Forwarder } from "../cluster/forwarder.ts";
import { MissRouter } from "../cluster/miss-router.ts";
import { loadRedisClient } from "../cluster/redis-link.ts";
import type { WatchedCache } from "../watch/folder-watcher.ts";
import type { ModelRouter } from "../routing/model-router.ts";

/** A replica that joined its cluster, and the discovery its first load starts from. */
export interface JoinedCluster {
  node: ClusterNode;
  discovery: Discovery;
  /** Models this replica would have preloaded but placement put elsewhere. */
  deferred: Set<string>;
  /** A later discovery with the same models held back (rescans keep them out of reloads and first loads). */
  defer(discovery: Discovery): Discovery;
}

/**
 * Cluster mode, before the cache exists: joins the cluster and keeps out of the first load the
 * models placement puts on other replicas (they are registered as `skipped`: a request for one is
 * forwarded, or loads it here). Without an answer from Redis every model loads, as on a replica
 * on its own.
 *
 * @example
 * const joined = config.cluster && (await joinCluster(config, discovery, log));
 */
export async function joinCluster(config: Config, discovery: Discovery, log: Logger): Promise<JoinedCluster> {
  const node = new ClusterNode(config.cluster!, log, await loadRedisClient());
  const budget = config.memoryBudgetMb === undefined ? null : config.memoryBudgetMb * 2 ** 20;
  const mine = await node.join(discovery.specs, budget);
  const deferred = new Set<string>();
  if (mine !== undefined) for (const spec of discovery.specs) if (spec.preload && !mine.has(spec.name)) deferred.add(spec.name);
  const defer = (found: Discovery): Discovery => ({
    ...found,
    specs: found.specs.map((spec) => (spec.preload && deferred.has(spec.name) ? { ...spec, preload: false } : spec)),
  });
  return { node, discovery: defer(discovery), deferred, defer };
}

/** What the HTTP face uses of cluster mode, once the cache exists. */
export function clusterFace({ node, deferred }: JoinedCluster, cache: ModelCache, router: ModelRouter, config: Config, log: Logger): ClusterFace {
  node.attach(cache, deferred);
  return {
    recordsOf: (name, version) => {
      try {
        return version === undefined ? router.routedIds(name) : [router.locate(name, version).id];
      } catch {
        return undefined;
      }
    },
    node,
    admin: new ClusterAdmin(node, cache),
    router: new MissRouter({
      replicaId: node.id,
      cache,
      forwarder: new Forwarder(node.id, config.maxBodyBytes, log, config.cluster!.expiryMs),
      miss: config.cluster!.miss,
      log,
      snapshot: () => node.lastSnapshot,
      leaving: () => node.leaving,
    }),
  };
}

/**
 * The cache as the folder watcher sees it in cluster mode: a changed model is reloaded where it
 * is held; one that failed is tried again where placement puts its copies (every replica
 * computes the same plan); a new one is left to placement, which loads it where its copies go.
 * Before this replica ever reached Redis it loads as a replica on its own would.
 */
export function clusterWatchedCache(cache: ModelCache, node: ClusterNode): WatchedCache {
  return {
    rescan: () => cache.rescan(),
    get modelNames() {
      return cache.modelNames;
    },
    spec: (name) => cache.spec(name),
    status: (name) => cache.status(name),
    loadModel: async (name) => {
      const status = cache.status(name);
      if (status === "loaded" || status === "loading" || node.lastSnapshot === undefined) return cache.loadModel(name);
      if (status === "failed" && (await node.placedHere(name))) return cache.loadModel(name);
      return { ok: true, entry: cache.entry(name)! };
    },
  };
}

/** The host name other replicas reach this one at when HOST listens on every interface. */
export function hostName(): string {
  return hostname();
}
