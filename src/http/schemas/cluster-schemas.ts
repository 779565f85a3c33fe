import { t } from "elysia";
import { Integer } from "./common-schemas.ts";

/** One model's result on one replica of a cluster-wide operation. */
const ModelResultSchema = t.Object({
  name: t.String(),
  result: t.UnionEnum(["reloaded", "loaded", "unloaded", "not_held", "unknown", "failed", "current"], {
    description: "not_held: this replica neither holds it nor is placed to; current: a reload logged before this replica started (it read the files after)",
  }),
  error: t.Optional(t.String()),
});

/** Each replica's outcome of a cluster-wide reload, load or unload (cluster mode only). */
export const ReplicaReportsSchema = t.Array(
  t.Object({
    replica: t.String(),
    status: t.UnionEnum(["done", "timed_out", "left"], {
      description: "timed_out: no answer within CLUSTER_ADMIN_TIMEOUT_MS; left: its heartbeat expired meanwhile. Either way it applies the operation from the admin log when it can",
    }),
    models: t.Array(ModelResultSchema),
    duration_ms: t.Union([Integer(), t.Null()]),
  }),
  { description: "Cluster mode: every live replica's outcome" },
);

/** GET /api/v1/cluster */
export const ClusterViewSchema = t.Object({
  enabled: t.Boolean({ description: "False when CLUSTER_REDIS_URL is not set" }),
  replica: t.Union([t.String(), t.Null()], { description: "The replica that answered" }),
  redis: t.UnionEnum(["up", "down", "off"]),
  status: t.UnionEnum(["ok", "degraded", "off"]),
  message: t.String(),
  read_at: t.Union([t.Number({ description: "Unix seconds" }), t.Null()]),
  replicas: t.Array(
    t.Object({
      id: t.String(),
      address: t.String(),
      started_at: t.Number(),
      last_heartbeat: t.Number({ description: "Unix seconds (the replica's clock)" }),
      models: t.Array(t.Object({ name: t.String(), version: t.String(), memory_bytes: t.Union([Integer(), t.Null()]) })),
      loading: t.Array(t.String()),
      load: t.Object({ in_flight: Integer(), requests_per_minute: Integer() }),
      memory: t.Object({ budget_bytes: t.Union([Integer(), t.Null()]), used_bytes: Integer() }),
    }),
  ),
  models: t.Array(
    t.Object({
      name: t.String(),
      version: t.String(),
      id: t.String({ description: "The cache record: the name, or name@version for one version of a versioned model" }),
      holders: t.Array(t.String()),
      loading: t.Array(t.String()),
      copies: t.Union([Integer(), t.Literal("all")]),
      desired_copies: Integer(),
      requests_per_minute: Integer(),
      unloaded: t.Boolean(),
    }),
  ),
});
