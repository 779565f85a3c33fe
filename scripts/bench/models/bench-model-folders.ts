/**
 * The folders `bun run bench` serves, each a models folder of its own (one model per server):
 *
 *   distilbert/distilbert-sst2-bench/            DistilBERT-base, fp32 (268 MB), Hugging Face layout
 *   distilbert-int8/distilbert-sst2-bench-int8/  the same, dynamically quantised (onnx/model_quantized.onnx)
 *   iris/iris_classifier.onnx                    the demo iris model
 *   demo-sentiment/sentiment-distilbert/         the demo DistilBERT-shaped sentiment model
 *
 * The big models carry the demo DistilBERT tokenizer (copied from models/sentiment-distilbert).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodeModel } from "../../demo-models/onnx-graph.ts";
import { distilbertConfig } from "../../demo-models/sentiment/hf-config.ts";
import { buildDistilbertBaseGraph, DISTILBERT_BASE } from "./distilbert-base-graph.ts";
import { weightSource } from "./linear-layers.ts";

/** Bump when the graph or the layout changes: folders built by another version are rebuilt. */
const LAYOUT_VERSION = 2;
const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"];

/** One model folder of the benchmark. */
export interface BenchModel {
  /** The models folder a server is started on. */
  modelsDir: string;
  /** The model's name in it. */
  name: string;
}

/** Where each benchmark model lives below the output folder. */
export function benchModels(outDir: string) {
  return {
    distilbert: { modelsDir: join(outDir, "distilbert"), name: "distilbert-sst2-bench" },
    distilbertInt8: { modelsDir: join(outDir, "distilbert-int8"), name: "distilbert-sst2-bench-int8" },
    iris: { modelsDir: join(outDir, "iris"), name: "iris_classifier" },
    demoSentiment: { modelsDir: join(outDir, "demo-sentiment"), name: "sentiment-distilbert" },
  } satisfies Record<string, BenchModel>;
}

/**
 * Writes every benchmark folder below `outDir` unless it is already there from the same seed
 * and layout (`force` rebuilds). Returns one line per folder written or kept.
 */
export function writeBenchModels(outDir: string, demoModelsDir: string, seed: number, force = false): string[] {
  const stampPath = join(outDir, "BUILD.json");
  const stamp = JSON.stringify({ layout: LAYOUT_VERSION, seed });
  const models = benchModels(outDir);
  if (!force && existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp) return [`kept ${outDir} (seed ${seed})`];
  rmSync(outDir, { recursive: true, force: true });
  const lines: string[] = [];
  for (const [model, int8] of [
    [models.distilbert, false],
    [models.distilbertInt8, true],
  ] as const) {
    const started = performance.now();
    const folder = join(model.modelsDir, model.name);
    const bytes = encodeModel(buildDistilbertBaseGraph(weightSource(seed, int8)), {
      producerName: "model-cache bench-models",
      docString: `DistilBERT-base-sized sequence classifier with seeded random weights (seed ${seed})${int8 ? ", int8 dynamic quantisation" : ""}; for benchmarks only.`,
    });
    write(join(folder, "onnx", int8 ? "model_quantized.onnx" : "model.onnx"), bytes);
    write(join(folder, "config.json"), `${JSON.stringify(benchConfig(), null, 2)}\n`);
    for (const file of TOKENIZER_FILES) cpSync(join(demoModelsDir, "sentiment-distilbert", file), join(folder, file));
    lines.push(`${(bytes.length / 1e6).toFixed(1)} MB  ${folder} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  mkdirSync(models.iris.modelsDir, { recursive: true });
  cpSync(join(demoModelsDir, "iris_classifier.onnx"), join(models.iris.modelsDir, "iris_classifier.onnx"));
  cpSync(join(demoModelsDir, "sentiment-distilbert"), join(models.demoSentiment.modelsDir, "sentiment-distilbert"), { recursive: true });
  lines.push(`copied the demo iris and sentiment-distilbert models`);
  writeFileSync(stampPath, stamp);
  return lines;
}

/** config.json of distilbert-base-uncased-finetuned-sst-2-english, sizes included. */
function benchConfig(): Record<string, unknown> {
  const { vocabSize, dim, hiddenDim, heads, layers, maxPositions } = DISTILBERT_BASE;
  return { ...distilbertConfig(vocabSize, dim), hidden_dim: hiddenDim, n_heads: heads, n_layers: layers, max_position_embeddings: maxPositions };
}

function write(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
