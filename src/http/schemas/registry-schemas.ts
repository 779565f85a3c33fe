import { t } from "elysia";
import { MODEL_STATUSES, MODEL_TYPES } from "../../cache/model-types.ts";
import { MEMORY_METHODS } from "../../host/host-protocol.ts";

const TensorSpecSchema = t.Object({
  name: t.String(),
  datatype: t.String(),
  shape: t.Array(t.Integer()),
});

const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()]);

/** One registry entry. */
export const RegistryEntrySchema = t.Object({
  name: t.String(),
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
  models: t.Array(t.Object({ name: t.String(), type: t.String(), status: t.String() })),
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
});
