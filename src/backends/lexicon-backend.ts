import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import type { HostPool } from "../host/host-pool.ts";
import { HostedTextClassifier } from "./hosted-models.ts";
import { InstanceIds } from "./instance-ids.ts";
import type { BatchingPolicy } from "../batching/batching-policy.ts";

/** Starts the wink-nlp lexicon analyser in its own host (apart from the WASM runtime). */
export class LexiconBackend implements ModelBackend {
  readonly modelType = "lexicon" as const;
  private readonly ids = new InstanceIds();

  constructor(
    private readonly pool: HostPool,
    /** Dynamic batching of requests (none without it). */
    private readonly batching?: BatchingPolicy,
  ) {}

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const host = await this.pool.lexiconHost();
    const instanceId = this.ids.next("lexicon");
    const info = await host.load({ kind: "lexicon", instanceId });
    return new HostedTextClassifier(host, instanceId, info, this.batching?.settingsFor(spec));
  }
}
