import { join } from "node:path";
import { TransformerBackend } from "../../src/backends/transformer-backend.ts";
import type { ModelInstance } from "../../src/cache/model-types.ts";
import { HostPool } from "../../src/host/host-pool.ts";
import { ExecutionHosts } from "../../src/backends/execution-hosts.ts";
import { silentLogger } from "../../src/logging/logger.ts";
import { toSentimentLabel } from "../../src/sentiment/sentiment-labels.ts";
import type { SentimentLabel } from "../../src/sentiment/sentiment-result.ts";
import { BackendUnavailable, type Backend } from "./backend.ts";

/** Texts per pipeline call: the service's batches are of this size or smaller. */
const BATCH = 64;

/**
 * A transformer demo model exactly as the service runs it: transformers.js's text-classification
 * pipeline on onnxruntime-web, inside a model host worker. Labels map as in the service
 * (POSITIVE/NEGATIVE; a two-class model never answers NEUTRAL).
 *
 * @example
 * const backend = transformerBackend("sentiment-bert");
 */
export function transformerBackend(modelName: string, modelsDir = join(import.meta.dir, "../../models")): Backend {
  let pool: HostPool | undefined;
  let model: ModelInstance | undefined;
  return {
    name: `transformer: ${modelName}`,
    description: "transformers.js text-classification pipeline on onnxruntime-web, in a model host worker (as the service runs it)",
    async setup() {
      pool = new HostPool({ size: 1, runtime: { numThreads: 1, cacheDir: join(modelsDir, "cache"), allowRemoteModels: false }, log: silentLogger });
      try {
        model = await new TransformerBackend(new ExecutionHosts(pool, "wasm", silentLogger)).load({
          name: modelName,
          modelType: "transformer",
          version: "eval",
          required: false,
          preload: true,
          path: join(modelsDir, modelName),
          dtype: "fp32",
        });
      } catch (error) {
        await pool.stop();
        throw new BackendUnavailable(`"${modelName}" could not load: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async classify(texts) {
      const labels: SentimentLabel[] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        const results = await model!.classify!(texts.slice(start, start + BATCH));
        labels.push(...results.map((result) => toSentimentLabel(result.label) ?? "NEUTRAL"));
      }
      return labels;
    },
    async dispose() {
      await model?.dispose();
      await pool?.stop();
    },
  };
}
