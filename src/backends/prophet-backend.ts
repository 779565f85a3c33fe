import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import { loadProphetForecaster, type ProphetForecaster } from "../prophet/index.ts";
import { ModelFileError, readModelFile } from "./read-model-file.ts";

/** A loaded Prophet export. It forecasts on the HTTP thread: pure arithmetic, microseconds a point. */
export class ProphetModel implements ModelInstance {
  readonly details: Record<string, unknown>;

  constructor(readonly forecaster: ProphetForecaster) {
    this.details = { ...forecaster.summary(), forecast_endpoint: "/api/v1/models/{name}/forecast" };
  }

  async dispose(): Promise<void> {
    this.forecaster.dispose();
  }
}

/** Parses and checks Prophet `model_to_json` exports (`x.json` in the models folder). */
export class ProphetBackend implements ModelBackend {
  readonly modelType = "prophet" as const;

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const shown = spec.source ?? spec.name;
    const bytes = await readModelFile(spec.path ?? "", shown);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new ModelFileError(`${shown} is not UTF-8 text`);
    }
    return new ProphetModel(loadProphetForecaster(text));
  }
}
