import { Elysia } from "elysia";
import { describeCluster, SINGLE_NODE_VIEW } from "../../cluster/cluster-view.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { ClusterViewSchema } from "../schemas/cluster-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** GET /api/v1/cluster: the replicas, what each holds, and where each model is (the same from any replica). */
export function clusterRoutes({ cluster, tokens }: HttpDeps) {
  return new Elysia({ name: "cluster-routes" }).get("/api/v1/cluster", async () => (cluster === undefined ? SINGLE_NODE_VIEW : describeCluster(cluster.node)), {
    transform: guards(tokens).inference,
    response: { 200: ClusterViewSchema, 401: ApiErrorSchema },
  });
}
