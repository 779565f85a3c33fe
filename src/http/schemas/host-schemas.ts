import { t } from "elysia";
import { Integer } from "./common-schemas.ts";

/** One model host. */
export const HostSchema = t.Object({
  name: t.String({ description: "native (onnxruntime-node in a child process), wasm-N (onnxruntime-web), lexicon or prophet" }),
  running: t.Boolean(),
  instances: Integer({ description: "Models loaded on it" }),
  restarts: Integer({ description: "Times its worker died and was started again" }),
  recycles: Integer({ description: "Times it was replaced on purpose, its models reloaded" }),
  last_incident: t.Optional(t.String()),
  wasm_memory_bytes: Integer({ description: "WebAssembly memory of its runtime; it never shrinks" }),
});

/** GET /api/v1/hosts */
export const HostListSchema = t.Object({ hosts: t.Array(HostSchema) });

/** POST /api/v1/hosts/{name}/restart */
export const HostRestartSchema = t.Object({ status: t.Literal("recycled"), host: t.String() });
