import { t } from "elysia";
import { Integer } from "./common-schemas.ts";
import { ReplicaReportsSchema } from "./cluster-schemas.ts";

const TensorMetadataSchema = t.Object({
  name: t.String(),
  datatype: t.String(),
  shape: t.Array(Integer()),
});

/** GET /v2 */
export const ServerMetadataSchema = t.Object({
  name: t.String(),
  version: t.String(),
  extensions: t.Array(t.String()),
});

/** GET /v2/models/{name} */
export const ModelMetadataSchema = t.Object({
  name: t.String(),
  versions: t.Array(t.String()),
  platform: t.String(),
  inputs: t.Array(TensorMetadataSchema),
  outputs: t.Array(TensorMetadataSchema),
  parameters: t.Optional(t.Record(t.String(), t.Unknown())),
});

/** GET /v2/models/{name}/ready */
export const ModelReadySchema = t.Object({ name: t.String(), ready: t.Boolean() });

const TensorDataSchema = t.Array(t.Unknown(), { description: "Flat, or nested to the shape; strings for BYTES" });

/** POST /v2/models/{name}/infer body (checked in depth against the model's signature). */
export const InferRequestSchema = t.Object(
  {
    id: t.Optional(t.String()),
    parameters: t.Optional(t.Record(t.String(), t.Unknown())),
    inputs: t.Array(
      t.Object(
        {
          name: t.String(),
          shape: t.Array(Integer()),
          datatype: t.String(),
          parameters: t.Optional(t.Record(t.String(), t.Unknown())),
          data: t.Optional(TensorDataSchema),
        },
        { additionalProperties: true },
      ),
    ),
    outputs: t.Optional(
      t.Array(t.Object({ name: t.String(), parameters: t.Optional(t.Record(t.String(), t.Unknown())) }, { additionalProperties: true })),
    ),
  },
  { additionalProperties: true },
);

/** POST /v2/models/{name}/infer answer. */
export const InferResponseSchema = t.Object({
  model_name: t.String(),
  model_version: t.Optional(t.String()),
  id: t.Optional(t.String()),
  parameters: t.Optional(t.Record(t.String(), t.Unknown())),
  outputs: t.Array(
    t.Object({
      name: t.String(),
      shape: t.Array(Integer()),
      datatype: t.String(),
      parameters: t.Optional(t.Record(t.String(), t.Unknown())),
      data: TensorDataSchema,
    }),
  ),
});

/** POST /v2/repository/index body. */
export const RepositoryIndexBodySchema = t.Optional(t.Object({ ready: t.Optional(t.Boolean()) }, { additionalProperties: true }));

/** POST /v2/repository/index answer. */
export const RepositoryIndexSchema = t.Array(
  t.Object({
    name: t.String(),
    version: t.String(),
    state: t.UnionEnum(["READY", "LOADING", "UNAVAILABLE", "UNLOADED"]),
    reason: t.String(),
  }),
);

/** POST /v2/repository/models/{name}/load or unload body: only `parameters` without files. */
export const RepositoryActionBodySchema = t.Optional(
  t.Object({ parameters: t.Optional(t.Record(t.String(), t.Unknown())) }, { additionalProperties: false }),
);

/** POST /v2/repository/models/{name}/load or unload answer. */
export const RepositoryActionSchema = t.Object({ name: t.String(), state: t.String(), reason: t.String(), replicas: t.Optional(ReplicaReportsSchema) });

const StatDurationSchema = t.Object({ count: Integer(), ns: Integer() });

/** GET /v2/models/stats (and per model, per version): Triton's statistics extension. */
export const ModelStatisticsSchema = t.Object({
  model_stats: t.Array(
    t.Object({
      name: t.String(),
      version: t.String(),
      last_inference: Integer({ description: "Unix milliseconds of the last request; 0 before the first" }),
      inference_count: Integer(),
      execution_count: Integer(),
      inference_stats: t.Object({
        success: StatDurationSchema,
        fail: StatDurationSchema,
        queue: StatDurationSchema,
        compute_input: StatDurationSchema,
        compute_infer: StatDurationSchema,
        compute_output: StatDurationSchema,
        cache_hit: StatDurationSchema,
        cache_miss: StatDurationSchema,
      }),
      batch_stats: t.Array(
        t.Object({
          batch_size: Integer(),
          compute_input: StatDurationSchema,
          compute_infer: StatDurationSchema,
          compute_output: StatDurationSchema,
        }),
      ),
    }),
  ),
});
