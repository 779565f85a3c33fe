import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import type { HostPool } from "../host/host-pool.ts";
import { HostedForecaster } from "./hosted-models.ts";
import { InstanceIds } from "./instance-ids.ts";
import { ModelFileError, readModelFile } from "./read-model-file.ts";

/**
 * Loads Prophet `model_to_json` exports (`x.json` in the models folder) into the pure-JS host,
 * where they are parsed, checked and forecast.
 */
export class ProphetBackend implements ModelBackend {
  readonly modelType = "prophet" as const;
  private readonly ids = new InstanceIds();

  constructor(private readonly pool: HostPool) {}

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const shown = spec.source ?? spec.name;
    const bytes = await readModelFile(spec.path ?? "", shown);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new ModelFileError(`${shown} is not UTF-8 text`);
    }
    const host = await this.pool.prophetHost();
    const instanceId = this.ids.next(spec.name);
    const info = await host.load({ kind: "prophet", instanceId, text });
    info.details = { ...info.details, forecast_endpoint: `/api/v1/models/${spec.name}/forecast` };
    return new HostedForecaster(host, instanceId, info);
  }
}
