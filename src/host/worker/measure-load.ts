/**
 * Measures the memory a model takes as its host loads it, and writes it into the model's
 * `info.memory` (unless the model measured itself). See MemoryMethod for what each figure means.
 */
import { join } from "node:path";
import { runtime } from "#runtime";
import { transformerModelBytes } from "../../discovery/transformer-weights.ts";
import type { LoadPayload, ModelMemory } from "../host-protocol.ts";
import type { WorkerModel } from "./worker-model.ts";

/**
 * Runs `load` and records what the model holds. WASM-hosted models (ONNX, transformers) count the
 * bytes of the weights handed to the runtime: the runtime's memory never shrinks and grows in
 * large steps, so its growth across one load says little about one model (measured: 12 graphs
 * of 16 MiB grew a host's heap by 1.0–1.2 × their weights, in steps of 0 to 45 MiB), while the
 * weights are what the session keeps for its whole life. Pure-JS models (Prophet, the lexicon)
 * count the growth of their worker's heap between two full collections.
 *
 * @example
 * const model = await measuredLoad(payload, load);
 * model.info.memory; // { bytes: 67108964, method: "weights" }
 */
export async function measuredLoad(payload: LoadPayload, load: (payload: LoadPayload) => Promise<WorkerModel>): Promise<WorkerModel> {
  switch (payload.kind) {
    case "onnx": {
      const bytes = payload.model.byteLength + payload.externalData.reduce((sum, file) => sum + file.data.byteLength, 0);
      const model = await load(payload);
      return withMemory(model, { bytes, method: "weights" });
    }
    case "transformer": {
      const model = await load(payload);
      return withMemory(model, { bytes: await transformerModelBytes(join(payload.modelsDir, payload.folder), payload.dtype), method: "weights" });
    }
    case "lexicon":
    case "prophet": {
      const before = heapAfterCollection();
      const model = await load(payload);
      return withMemory(model, { bytes: Math.max(0, heapAfterCollection() - before), method: "heap-delta" });
    }
  }
}

function withMemory(model: WorkerModel, memory: ModelMemory): WorkerModel {
  model.info.memory ??= memory;
  return model;
}

function heapAfterCollection(): number {
  runtime.gc();
  return process.memoryUsage().heapUsed;
}
