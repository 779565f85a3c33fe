import type { ClusterAdmin } from "./cluster-admin.ts";
import type { ClusterNode } from "./cluster-node.ts";
import type { MissRouter } from "./miss-router.ts";

/** What the HTTP face uses of cluster mode; built by the composition root when `CLUSTER_REDIS_URL` is set. */
export interface ClusterFace {
  node: ClusterNode;
  /** Cluster-wide reload, load and unload. */
  admin: ClusterAdmin;
  /** Where a request for a model not held here goes. */
  router: MissRouter;
  /**
   * The cache records a request for `name` (and `version`) may use: that version's, or each
   * version its routing may pick; `undefined` for a name this replica does not know.
   */
  recordsOf(name: string, version?: string): string[] | undefined;
}
