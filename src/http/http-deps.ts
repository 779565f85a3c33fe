import type { ModelCache } from "../cache/model-cache.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../logging/logger.ts";
import type { Tokens } from "../auth/tokens.ts";
import type { SentimentService } from "../sentiment/sentiment-service.ts";
import type { HostPool } from "../host/host-pool.ts";
import type { WatchStatus } from "../watch/watch-status.ts";
import type { Telemetry } from "../metrics/telemetry.ts";
import type { ModelRouter } from "../routing/model-router.ts";
import type { BatchStatsSource } from "../batching/batch-stats.ts";
import type { ClusterFace } from "../cluster/cluster-face.ts";

/** What the HTTP controllers use; built by the composition root and passed in. */
export interface HttpDeps {
  config: Config;
  cache: ModelCache;
  /** Versions, defaults and A/B routing: every model route resolves names through it. */
  router: ModelRouter;
  sentiment: SentimentService;
  tokens: Tokens;
  hosts: HostPool;
  /** The models folder watcher's state. */
  watcher: { status(): WatchStatus };
  log: Logger;
  /** Statistics, latency and Prometheus metrics. */
  telemetry: Telemetry;
  /** Dynamic batching figures by model, shown in the registry. */
  batching: BatchStatsSource;
  /** Cluster mode (`CLUSTER_REDIS_URL`); absent on a replica on its own. */
  cluster?: ClusterFace;
}

/**
 * Hooks that check bearer tokens. They run as `transform` hooks, before body validation, so a
 * caller without the right token gets 401/403, never a schema error about a body it may not send.
 */
export function guards(tokens: Tokens) {
  return {
    admin: ({ request }: { request: Request }) => tokens.requireAdmin(request.headers.get("authorization")),
    inference: ({ request }: { request: Request }) => tokens.requireInference(request.headers.get("authorization")),
    metrics: ({ request }: { request: Request }) => tokens.requireMetrics(request.headers.get("authorization")),
  };
}
