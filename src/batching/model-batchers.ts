/**
 * The batching of one loaded model: tensors (Open Inference Protocol infer, for graphs whose
 * first dimension is the batch) and texts (classifiers: sentiment and their OIP form).
 */
import type { Classification } from "../host/host-protocol.ts";
import type { HostTensor } from "../inference/tensor.ts";
import { BatchQueue } from "./batch-queue.ts";
import { estimatedTokens } from "./length-buckets.ts";
import type { BatchingStats } from "./batch-stats.ts";
import { batchKey, batchRows, joinInputs, splitOutputs, UnsplittableOutputError, type TensorRequest } from "./tensor-batch.ts";

/** How one model batches; undefined settings turn batching off for it. */
export interface BatchSettings {
  model: string;
  maxBatch: number;
  maxDelayMs: number;
  /** How long one batched run may take (`BATCH_MAX_RUN_MS`); no limit when undefined. */
  maxRunMs?: number;
  stats: BatchingStats;
  /** True for a failure of the runtime itself (a crashed host), shared by every request of a run. */
  isRuntimeFailure(error: unknown): boolean;
}

type RunTensors = (inputs: Record<string, HostTensor>, outputs: string[]) => Promise<Record<string, HostTensor>>;
type Classify = (texts: string[]) => Promise<Classification[]>;

/**
 * `run` behind a batching queue. Alike requests (same outputs, same shapes past the first
 * dimension) share runs; a model whose outputs turn out not to have one row per input row is
 * run request by request from then on.
 */
export function batchedTensors(settings: BatchSettings, run: RunTensors): RunTensors {
  let splittable = true;
  let solo = 0;
  const queue = new BatchQueue<TensorRequest, Record<string, HostTensor>>({
    ...settings,
    shape: (request) => {
      const rows = batchRows(request);
      return rows === undefined ? { rows: 1, key: `alone:${solo++}`, length: 1 } : { rows, key: batchKey(request), length: 1 };
    },
    execute: async (requests) => {
      if (requests.length === 1) return [await run(requests[0]!.inputs, requests[0]!.outputs)];
      const rows = requests.map((request) => batchRows(request)!);
      try {
        return splitOutputs(await run(joinInputs(requests), requests[0]!.outputs), rows);
      } catch (error) {
        // The queue retries these requests one by one; later ones skip batching altogether.
        if (error instanceof UnsplittableOutputError) splittable = false;
        throw error;
      }
    },
  });
  return (inputs, outputs) => (splittable ? queue.submit({ inputs, outputs }) : run(inputs, outputs));
}

/** `classify` behind a batching queue: texts of similar length (in estimated tokens) share runs. */
export function batchedTexts(settings: BatchSettings, classify: Classify): Classify {
  const queue = new BatchQueue<string[], Classification[]>({
    ...settings,
    shape: (texts) => ({ rows: texts.length, key: "texts", length: texts.reduce((longest, text) => Math.max(longest, estimatedTokens(text)), 1) }),
    execute: async (requests) => {
      if (requests.length === 1) return [await classify(requests[0]!)];
      const texts = requests.flat();
      const results = await classify(texts);
      if (results.length !== texts.length) throw new Error(`the classifier answered ${results.length} results for ${texts.length} texts`);
      let start = 0;
      return requests.map((texts) => results.slice(start, (start += texts.length)));
    },
  });
  return (texts) => (texts.length === 0 ? Promise.resolve([]) : queue.submit(texts));
}
