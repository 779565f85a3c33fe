/**
 * What the fuzzer knows about the service it fuzzes: where it is, its tokens and limits, and
 * the models it serves (from the registry and the models' metadata, read once at the start).
 */

/** A tensor of a model's signature, as /v2/models/{name} reports it. */
export interface TensorInfo {
  name: string;
  datatype: string;
  shape: number[];
}

/** A registered model. */
export interface ModelInfo {
  name: string;
  type: string;
  status: string;
  version: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** The service under test. */
export interface FuzzTarget {
  /** Base URL without a trailing slash. */
  url: string;
  adminToken: string;
  /** INFERENCE_TOKEN of the service, when it has one. */
  inferenceToken?: string;
  /** MAX_BODY_BYTES of the service. */
  maxBodyBytes: number;
  maxBatch: number;
  maxTextLength: number;
  maxForecastPeriods: number;
  /** Every registered model, as it was at the start. */
  models: ModelInfo[];
  /** Names of the model hosts (GET /api/v1/hosts). */
  hosts: string[];
}

/** How to reach a service and what its settings are (defaults: the service's defaults). */
export interface TargetOptions {
  url: string;
  adminToken: string;
  inferenceToken?: string;
  maxBodyBytes?: number;
  maxBatch?: number;
  maxTextLength?: number;
  maxForecastPeriods?: number;
}

/**
 * Reads the registry and each loaded model's metadata from a running service.
 *
 * @example
 * const target = await describeTarget({ url: "http://127.0.0.1:3000", adminToken });
 * target.models.map((model) => model.name); // ["iris_classifier", "lexicon", …]
 */
export async function describeTarget(options: TargetOptions): Promise<FuzzTarget> {
  const url = options.url.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.adminToken}` };
  const registry = (await (await fetch(`${url}/api/v1/models/registry`, { headers })).json()) as {
    models: { name: string; model_type: string; status: string; version: string }[];
  };
  const models: ModelInfo[] = [];
  for (const entry of registry.models) {
    const model: ModelInfo = { name: entry.name, type: entry.model_type, status: entry.status, version: entry.version, inputs: [], outputs: [] };
    if (entry.status === "loaded") {
      const response = await fetch(`${url}/v2/models/${encodeURIComponent(entry.name)}`, { headers });
      if (response.ok) {
        const metadata = (await response.json()) as { inputs: TensorInfo[]; outputs: TensorInfo[] };
        model.inputs = metadata.inputs;
        model.outputs = metadata.outputs;
      }
    }
    models.push(model);
  }
  const hostList = await fetch(`${url}/api/v1/hosts`, { headers }).then((response) => (response.ok ? response.json() : undefined), () => undefined);
  const hosts = ((hostList as { hosts?: { name: string }[] } | undefined)?.hosts ?? []).map((host) => host.name);
  return {
    url,
    hosts,
    adminToken: options.adminToken,
    ...(options.inferenceToken !== undefined && { inferenceToken: options.inferenceToken }),
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    maxBatch: options.maxBatch ?? 256,
    maxTextLength: options.maxTextLength ?? 20_000,
    maxForecastPeriods: options.maxForecastPeriods ?? 10_000,
    models,
  };
}

/** Models that take OIP inference requests (they have inputs). */
export function inferableModels(target: FuzzTarget): ModelInfo[] {
  return target.models.filter((model) => model.inputs.length > 0);
}

/** Prophet models (the forecast route). */
export function forecastModels(target: FuzzTarget): ModelInfo[] {
  return target.models.filter((model) => model.type === "prophet");
}
