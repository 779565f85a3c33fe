import { t } from "elysia";

/** One model host. */
export const HostSchema = t.Object({
  name: t.String({ description: "native (onnxruntime-node in a child process), wasm-N (onnxruntime-web), lexicon or prophet" }),
  running: t.Boolean(),
  instances: t.Integer({ description: "Models loaded on it" }),
  restarts: t.Integer({ description: "Times its worker died and was started again" }),
  recycles: t.Integer({ description: "Times it was replaced on purpose, its models reloaded" }),
  last_incident: t.Optional(t.String()),
  wasm_memory_bytes: t.Integer({ description: "WebAssembly memory of its runtime; it never shrinks" }),
});

/** GET /api/v1/hosts */
export const HostListSchema = t.Object({ hosts: t.Array(HostSchema) });

/** POST /api/v1/hosts/{name}/restart */
export const HostRestartSchema = t.Object({ status: t.Literal("recycled"), host: t.String() });
