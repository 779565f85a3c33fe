import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import type { ExecutionHosts } from "./execution-hosts.ts";
import { HostedTextClassifier } from "./hosted-models.ts";
import { InstanceIds } from "./instance-ids.ts";
import { transformerLocation } from "../host/host-protocol.ts";
import type { BatchingPolicy } from "../batching/batching-policy.ts";

/** Loads Hugging Face style text classifiers with transformers.js in a host (native or WASM). */
export class TransformerBackend implements ModelBackend {
  readonly modelType = "transformer" as const;
  private readonly ids = new InstanceIds();

  constructor(
    private readonly hosts: ExecutionHosts,
    /** Dynamic batching of requests (none without it). */
    private readonly batching?: BatchingPolicy,
  ) {}

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const path = spec.path ?? "";
    const instanceId = this.ids.next(spec.name);
    const { host, info } = await this.hosts.load(() => ({ ...transformerLocation(path, spec.dtype), instanceId }), spec.sizeBytes);
    return new HostedTextClassifier(host, instanceId, info, this.batching?.settingsFor(spec));
  }
}
