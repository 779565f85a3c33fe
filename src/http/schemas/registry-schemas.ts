import { t } from "elysia";
import { ReplicaReportsSchema } from "./cluster-schemas.ts";
import { MODEL_STATUSES, MODEL_TYPES } from "../../cache/model-types.ts";
import { MEMORY_METHODS } from "../../host/host-protocol.ts";

const TensorSpecSchema = t.Object({
  name: t.String(),
  datatype: t.String(),
  shape: t.Array(t.Integer()),
});

const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()]);

/** Dynamic batching figures of one record (src/batching/batch-stats.ts). */
const BatchStatsSchema = t.Object({
  executions: t.Integer(),
  requests: t.Integer(),
  inferences: t.Integer({ description: "Rows run" }),
  avg_batch_size: t.Number({ description: "Rows per run" }),
  histogram: t.Record(t.String(), t.Integer(), { description: "Runs by size in rows: ≤1, ≤2, ≤4, … ≤256, more" }),
});

/** What every registry entry says about one cache record (a model, or one version of it). */
const entryFields = {
  name: t.String({ description: "The model's name (for a version: the model's, see id)" }),
  model_type: t.UnionEnum([...MODEL_TYPES]),
  status: t.UnionEnum([...MODEL_STATUSES]),
  version: t.String(),
  loaded_at: Nullable(t.Number({ description: "Unix seconds" })),
  load_duration: Nullable(t.Number({ description: "Seconds" })),
  error: t.Optional(t.String()),
  last_error: t.Optional(t.String()),
  last_error_at: t.Optional(t.Number()),
  source: Nullable(t.String({ description: "Path relative to MODELS_DIR" })),
  size_bytes: Nullable(t.Integer()),
  memory_bytes: Nullable(t.Integer({ description: "Memory the serving instance holds, counted against MODEL_MEMORY_BUDGET_MB" })),
  memory_method: t.Optional(t.UnionEnum([...MEMORY_METHODS])),
  required: t.Boolean(),
  preload: t.Boolean(),
  description: t.Optional(t.String()),
  requests: t.Integer(),
  hits: t.Integer(),
  misses: t.Integer(),
  load_count: t.Integer(),
  failure_count: t.Integer(),
  eviction_count: t.Integer(),
  in_flight: t.Integer(),
  reloading: t.Boolean(),
  inputs: t.Optional(t.Array(TensorSpecSchema)),
  outputs: t.Optional(t.Array(TensorSpecSchema)),
  unsupported_outputs: t.Optional(t.Array(t.Object({ name: t.String(), reason: t.String() }))),
  details: t.Optional(t.Record(t.String(), t.Unknown())),
  batching: t.Optional(BatchStatsSchema),
  latency: t.Optional(
    t.Object(
      {
        window_seconds: t.Integer(),
        samples: t.Integer(),
        p50_ms: Nullable(t.Number()),
        p95_ms: Nullable(t.Number()),
        p99_ms: Nullable(t.Number()),
        requests_per_second: t.Number(),
      },
      { description: "Successful requests' latency percentiles and the request rate over a sliding window" },
    ),
  ),
};

const LatencySchema = Nullable(
  t.Object(
    {
      count: t.Integer({ description: "Requests timed since start" }),
      mean: t.Number(),
      p50: t.Number(),
      p95: t.Number(),
      p99: t.Number(),
      max: t.Number(),
    },
    { description: "Milliseconds, over the last 1,024 requests" },
  ),
);

/** One version's traffic: what comparing A/B variants needs. */
export const TrafficSchema = t.Object({
  requests: t.Integer({ description: "Requests answered or failed by this version" }),
  errors: t.Integer({ description: "…that failed on the server's side (5xx), or fell back to the lexicon" }),
  bad_requests: t.Integer({ description: "…that failed because of the request (4xx)" }),
  shadow_requests: t.Integer({ description: "Shadow copies this version ran" }),
  shadow_failures: t.Integer(),
  shadow_dropped: t.Integer({ description: "Shadow copies not sent: SHADOW_MAX_IN_FLIGHT were running" }),
  latency_ms: LatencySchema,
  shadow_latency_ms: LatencySchema,
});

const TargetFields = {
  model: t.Optional(t.String({ description: "Another model; absent: this one" })),
  version: t.Optional(t.String({ description: "A version; absent: that model's default" })),
};

/** A model's routing as the manifest sets it. */
export const RoutingSchema = t.Object({
  variants: t.Array(t.Object({ ...TargetFields, weight: t.Number() })),
  shadow: t.Optional(t.Object({ ...TargetFields, percent: t.Number() })),
  sticky_header: t.Optional(t.String()),
  suspended: t.Boolean({ description: "True while a default version set through the admin route takes all the traffic" }),
});

/** Triton's version_policy. */
export const VersionPolicySchema = t.Union([
  t.Object({ latest: t.Integer({ minimum: 1 }) }),
  t.Object({ all: t.Literal(true) }),
  t.Object({ specific: t.Array(t.String()) }),
]);

/** One registry entry: a model; versioned and routed ones add their versions, default and routing. */
export const RegistryEntrySchema = t.Object({
  ...entryFields,
  traffic: TrafficSchema,
  default_version: t.Optional(t.String()),
  default_version_from: t.Optional(t.UnionEnum(["admin", "manifest", "latest"])),
  version_policy: t.Optional(VersionPolicySchema),
  // Each item is a record's entry plus `id` and `traffic` (openapi.yaml's VersionEntry, which the
  // contract test checks); declared loosely here because compiling the nested schema made the
  // first registry request 100–200 ms slower.
  versions: t.Optional(t.Array(t.Unknown())),
  unserved_versions: t.Optional(t.Array(t.String(), { description: "Versions on disk that the version policy leaves out" })),
  routing: t.Optional(RoutingSchema),
});

/** GET /api/v1/models/registry */
export const RegistrySchema = t.Object({
  is_loaded: t.Boolean(),
  total_models: t.Integer(),
  loaded_models: t.Integer(),
  failed_models: t.Integer(),
  skipped_models: t.Integer(),
  evicted_models: t.Integer(),
  memory: t.Object({
    budget_bytes: Nullable(t.Integer({ description: "MODEL_MEMORY_BUDGET_MB in bytes; null: no limit" })),
    used_bytes: t.Integer(),
    reserved_bytes: t.Integer(),
  }),
  models: t.Array(RegistryEntrySchema),
});

/** GET /api/v1/models/health */
export const HealthSchema = t.Object({
  status: t.UnionEnum(["healthy", "degraded", "loading", "unhealthy"]),
  message: t.String(),
  loaded_models: t.Array(t.String()),
  failed_models: t.Array(t.String()),
});

/** GET /api/v1/models/models */
export const ModelListSchema = t.Object({
  is_loaded: t.Boolean(),
  models: t.Array(
    t.Object({
      name: t.String(),
      type: t.String(),
      status: t.String(),
      versions: t.Optional(t.Array(t.Object({ version: t.String(), status: t.String() }))),
    }),
  ),
});

/** POST /api/v1/models/reload body. */
export const ReloadBodySchema = t.Optional(
  t.Object({
    models: t.Optional(
      t.Array(t.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000, description: "Names to reload; all when absent" }),
    ),
  }),
);

/** POST /api/v1/models/reload answer. */
export const ReloadResultSchema = t.Object({
  status: t.Literal("reloaded"),
  loaded_count: t.Integer(),
  failed_count: t.Integer(),
  loaded_models: t.Array(t.String()),
  failed_models: t.Array(t.String()),
  replicas: t.Optional(ReplicaReportsSchema),
});
