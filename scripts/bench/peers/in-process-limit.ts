/**
 * The in-process limit of `bun run bench`: the model run directly on onnxruntime-node, no HTTP,
 * no worker, texts tokenised by transformers.js and batched the way model-cache batches them
 * (src/batching/length-buckets.ts). At concurrency c, c clients each have one text waiting; each
 * run takes a batch around the text that has waited longest, and every text answered is replaced
 * by its client's next one — the closed loop wrk makes with c connections.
 *
 *   MODELS_DIR=… MODEL=… [DTYPE=q8] DURATION_S=15 CONNECTIONS=1,8,32 bun in-process-limit.ts
 *
 * Prints `READY <ms since the process started>` once the first text is answered, then one `LIMIT_RESULT {json}` per level.
 */
import * as ort from "onnxruntime-node-native";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estimatedTokens } from "../../../src/batching/length-buckets.ts";
import { BatchPlanner } from "../../../src/batching/batch-planner.ts";
import { processPss } from "../process-tree.ts";

const { MODELS_DIR = "", MODEL = "", DTYPE = "fp32", SENTENCES_FILE = "", DURATION_S = "15", CONNECTIONS = "1,8,32", MAX_BATCH = "256", BATCH_MAX_RUN_MS = "100" } = process.env;
// The name onnxruntime-node is a stand-in here (package.json): hand transformers.js the real one.
(globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = ort;
const { AutoTokenizer } = await import("@huggingface/transformers");
const folder = join(MODELS_DIR, MODEL);
const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
const session = await ort.InferenceSession.create(join(folder, "onnx", DTYPE === "q8" ? "model_quantized.onnx" : "model.onnx"));
const texts = readFileSync(SENTENCES_FILE, "utf8").split("\n").filter((line) => line.length > 0);
// Grouped by the same estimate model-cache uses on its HTTP thread.
const lengths = new Map(texts.map((text) => [text, estimatedTokens(text)]));

async function classify(batch: string[]): Promise<void> {
  const encoded = tokenizer(batch, { padding: true, truncation: true });
  const feeds = {
    input_ids: new ort.Tensor("int64", encoded.input_ids.data as BigInt64Array, encoded.input_ids.dims),
    attention_mask: new ort.Tensor("int64", encoded.attention_mask.data as BigInt64Array, encoded.attention_mask.dims),
  };
  await session.run(feeds);
}

await classify([texts[0]!]);
// performance.now() counts from the process's start.
console.log(`READY ${Math.round(performance.now())}`);

let next = 0;
const arrive = () => ({ text: texts[next++ % texts.length]!, at: performance.now() });
const maxRunMs = Number(BATCH_MAX_RUN_MS);
const planner = new BatchPlanner<ReturnType<typeof arrive>>({ maxBatch: Number(MAX_BATCH), ...(maxRunMs > 0 && { maxRunMs }), lengthOf: (entry) => lengths.get(entry.text)!, arrivedAt: (entry) => entry.at });
for (const connections of CONNECTIONS.split(",").map(Number)) {
  const latencies: number[] = [];
  const levelStart = performance.now();
  const end = levelStart + Number(DURATION_S) * 1000;
  let waiting = Array.from({ length: connections }, arrive);
  while (performance.now() < end) {
    const batch = planner.next(waiting);
    const started = performance.now();
    await classify(batch.map((entry) => entry.text));
    const done = performance.now();
    planner.ran(batch, done - started);
    for (const entry of batch) latencies.push(done - entry.at);
    waiting = [...waiting.filter((entry) => !batch.includes(entry)), ...batch.map(arrive)];
  }
  const seconds = (performance.now() - levelStart) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(
    `LIMIT_RESULT ${JSON.stringify({ connections, requests: latencies.length, seconds, p50_ms: at(0.5), p99_ms: at(0.99), rss: process.memoryUsage().rss, pss: processPss("self") })}`,
  );
}
