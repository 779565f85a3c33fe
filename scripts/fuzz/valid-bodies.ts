/**
 * Valid request bodies, one builder per route: what a well-behaved client sends. The fuzzer
 * sends them as they are, and as the starting point of its mutations.
 */
import type { Json } from "./json-values.ts";
import type { Rng } from "./rng.ts";
import type { FuzzTarget, ModelInfo, TensorInfo } from "./target.ts";

const WORDS = ["good", "bad", "great", "terrible", "not", "very", "phone", "service", "love", "hate", "but", "okay", "slow", "fast", "the", "is"];

/** A short sentence of sentiment-bearing words. */
export function sentence(rng: Rng): string {
  return Array.from({ length: rng.int(1, 12) }, () => rng.pick(WORDS)).join(" ");
}

/** `{ "text" }` or `{ "texts": [...] }`. */
export function sentimentBody(rng: Rng): Json {
  return rng.chance(0.6) ? { text: sentence(rng) } : { texts: Array.from({ length: rng.int(1, 6) }, () => sentence(rng)) };
}

/** `{ "periods", "freq", "include_history" }` or `{ "rows": [{ "ds" }] }`, small horizons. */
export function forecastBody(rng: Rng): Json {
  if (rng.chance(0.7)) {
    const body: Record<string, Json> = { periods: rng.int(1, 30) };
    if (rng.chance(0.5)) body.freq = rng.pick(["D", "W", "H", "MS", "D"]);
    if (rng.chance(0.2)) body.include_history = rng.chance(0.5);
    if (rng.chance(0.2)) body.seed = rng.int(0, 1000);
    return body;
  }
  const start = Date.UTC(2023, 0, 1) + rng.int(0, 800) * 86_400_000;
  const rows = Array.from({ length: rng.int(1, 10) }, (_, i) => ({ ds: new Date(start + i * 86_400_000).toISOString().slice(0, 10) }));
  return { rows };
}

/** An OIP inference request that fits the model's signature, batch 1–3. */
export function inferBody(rng: Rng, model: ModelInfo): Json {
  const batch = rng.int(1, 3);
  const inputs = model.inputs.map((input) => tensor(rng, input, batch));
  const body: Record<string, Json> = { inputs };
  if (rng.chance(0.3)) body.id = `req-${rng.int(0, 99_999)}`;
  if (rng.chance(0.3) && model.outputs.length > 0) body.outputs = [{ name: rng.pick(model.outputs).name }];
  return body;
}

function tensor(rng: Rng, input: TensorInfo, batch: number): Json {
  const shape = input.shape.map((dimension, i) => (dimension >= 0 ? dimension : i === 0 ? batch : rng.int(1, 4)));
  const count = shape.reduce((product, dimension) => product * dimension, 1);
  const data = Array.from({ length: count }, () => element(rng, input.datatype));
  return { name: input.name, datatype: input.datatype, shape, data: rng.chance(0.2) ? nest(data, shape) : data };
}

function element(rng: Rng, datatype: string): Json {
  if (datatype === "BYTES") return sentence(rng);
  if (datatype === "BOOL") return rng.chance(0.5);
  if (datatype.startsWith("FP")) return Math.round((rng.float() * 8 - 1) * 100) / 100;
  if (datatype.startsWith("UINT")) return rng.int(0, 100);
  return rng.int(-50, 50);
}

/** Flat data nested to the shape: [1,2,3,4] with [2,2] → [[1,2],[3,4]]. */
function nest(data: Json[], shape: number[]): Json {
  if (shape.length <= 1) return data;
  const size = data.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => nest(data.slice(i * size, (i + 1) * size), shape.slice(1)));
}

/** `{}` or `{ "models": [...] }` naming registered models (the names the caller gates on). */
export function reloadBody(rng: Rng, names: string[]): Json {
  return names.length === 0 ? (rng.chance(0.5) ? {} : null) : { models: names };
}

/** `{}`, nothing, or `{ "ready": true|false }`. */
export function indexBody(rng: Rng): Json | undefined {
  return rng.pick<Json | undefined>([undefined, {}, { ready: true }, { ready: false }]);
}

/** Body of PUT …/default-version: the version the model serves. */
export function defaultVersionBody(model: ModelInfo): Json {
  return { version: model.version };
}

/** Body of load and unload: nothing, `{}` or empty `parameters`. */
export function repositoryActionBody(rng: Rng): Json | undefined {
  return rng.pick<Json | undefined>([undefined, {}, { parameters: {} }]);
}

/** The model a valid request names: one of `candidates`, or any registered model. */
export function pickModel(rng: Rng, target: FuzzTarget, candidates: ModelInfo[]): ModelInfo {
  return rng.pick(candidates.length > 0 ? candidates : target.models);
}
