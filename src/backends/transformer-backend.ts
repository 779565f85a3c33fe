import { basename, dirname } from "node:path";
import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import type { HostPool } from "../host/host-pool.ts";
import { HostedTextClassifier } from "./hosted-models.ts";
import { InstanceIds } from "./instance-ids.ts";

/** Loads Hugging Face style text classifiers with transformers.js in a WASM host. */
export class TransformerBackend implements ModelBackend {
  readonly modelType = "transformer" as const;
  private readonly ids = new InstanceIds();

  constructor(private readonly pool: HostPool) {}

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const path = spec.path ?? "";
    const host = await this.pool.wasmHost();
    const instanceId = this.ids.next(spec.name);
    const info = await host.load({
      kind: "transformer",
      instanceId,
      modelsDir: dirname(path),
      folder: basename(path),
      dtype: spec.dtype ?? "fp32",
    });
    return new HostedTextClassifier(host, instanceId, info);
  }
}
