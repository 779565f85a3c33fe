import { t } from "elysia";
import { Integer } from "./common-schemas.ts";
import { ReplicaReportsSchema } from "./cluster-schemas.ts";
import { MODEL_STATUSES, MODEL_TYPES } from "../../cache/model-types.ts";
import { MEMORY_METHODS } from "../../host/host-protocol.ts";

const TensorSpecSchema = t.Object({
  name: t.String(),
  datatype: t.String(),
  shape: t.Array(Integer()),
});

const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()]);

/** Dynamic batching figures of one record (src/batching/batch-stats.ts). */
const BatchStatsSchema = t.Object({
  executions: Integer(),
  requests: Integer(),
  inferences: Integer({ description: "Rows run" }),
  avg_batch_size: t.Number({ description: "Rows per run" }),
  histogram: t.Record(t.String(), Integer(), { description: "Runs by size in rows: ≤1, ≤2, ≤4, … ≤256, more" }),
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
  size_bytes: Nullable(Integer()),
  memory_bytes: Nullable(Integer({ description: "Memory the serving instance holds, counted against MODEL_MEMORY_BUDGET_MB" })),
  memory_method: t.Optional(t.UnionEnum([...MEMORY_METHODS])),
  required: t.Boolean(),
  preload: t.Boolean(),
  description: t.Optional(t.String()),
  requests: Integer(),
  hits: Integer(),
  misses: Integer(),
  load_count: Integer(),
  failure_count: Integer(),
  eviction_count: Integer(),
  in_flight: Integer(),
  reloading: t.Boolean(),
  inputs: t.Optional(t.Array(TensorSpecSchema)),
  outputs: t.Optional(t.Array(TensorSpecSchema)),
  unsupported_outputs: t.Optional(t.Array(t.Object({ name: t.String(), reason: t.String() }))),
  details: t.Optional(t.Record(t.String(), t.Unknown())),
  batching: t.Optional(BatchStatsSchema),
  latency: t.Optional(
    t.Object(
      {
        window_seconds: Integer(),
        samples: Integer(),
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
      count: Integer({ description: "Requests timed since start" }),
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
  requests: Integer({ description: "Requests answered or failed by this version" }),
  errors: Integer({ description: "…that failed on the server's side (5xx), or fell back to the lexicon" }),
  bad_requests: Integer({ description: "…that failed because of the request (4xx)" }),
  shadow_requests: Integer({ description: "Shadow copies this version ran" }),
  shadow_failures: Integer(),
  shadow_dropped: Integer({ description: "Shadow copies not sent: SHADOW_MAX_IN_FLIGHT were running" }),
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
  t.Object({ latest: Integer({ minimum: 1 }) }),
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
  total_models: Integer(),
  loaded_models: Integer(),
  failed_models: Integer(),
  skipped_models: Integer(),
  evicted_models: Integer(),
  memory: t.Object({
    budget_bytes: Nullable(Integer({ description: "MODEL_MEMORY_BUDGET_MB in bytes; null: no limit" })),
    used_bytes: Integer(),
    reserved_bytes: Integer(),
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
  loaded_count: Integer(),
  failed_count: Integer(),
  loaded_models: t.Array(t.String()),
  failed_models: t.Array(t.String()),
  replicas: t.Optional(ReplicaReportsSchema),
});
