/**
 * A real transformer in miniature for tests: the benchmark's DistilBERT graph (attention with a
 * padding mask, LayerNorm, GELU, a [CLS] head) at 2 layers and 32 wide, seeded weights, in the
 * Hugging Face layout with the demo DistilBERT tokenizer. Padding and batching mistakes change
 * its logits, unlike the demo models' lexicon graphs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeModel } from "../../scripts/demo-models/onnx-graph.ts";
import { buildDistilbertBaseGraph, type DistilbertSizes } from "../../scripts/bench/models/distilbert-base-graph.ts";
import { weightSource } from "../../scripts/bench/models/linear-layers.ts";
import { distilbertConfig } from "../../scripts/demo-models/sentiment/hf-config.ts";
import { DEMO_MODELS } from "./paths.ts";
import type { ModelFiles } from "./temp-models.ts";
import { transformersOnWasm } from "../../scripts/demo-models/sentiment/transformers-on-wasm.ts";

/** Sizes of the mini model: the demo tokenizer's 8,833 ids fit its vocabulary. */
export const MINI_SIZES: DistilbertSizes = { vocabSize: 8840, maxPositions: 512, dim: 32, heads: 4, hiddenDim: 64, layers: 2, labels: 2 };

/** The mini model's ONNX bytes (inputs input_ids, attention_mask → logits [batch, 2]). */
export function miniTransformerOnnx(seed = 7): Uint8Array {
  return encodeModel(buildDistilbertBaseGraph(weightSource(seed, false), MINI_SIZES), { producerName: "model-cache tests", docString: "mini DistilBERT" });
}

/** The files of a Hugging Face folder named `folder` holding the mini model. */
export function miniTransformerFolder(folder: string, seed = 7): ModelFiles {
  const config = { ...distilbertConfig(MINI_SIZES.vocabSize, MINI_SIZES.dim), n_layers: MINI_SIZES.layers, n_heads: MINI_SIZES.heads, hidden_dim: MINI_SIZES.hiddenDim };
  const files: ModelFiles = {
    [`${folder}/onnx/model.onnx`]: miniTransformerOnnx(seed),
    [`${folder}/config.json`]: JSON.stringify(config),
  };
  for (const file of ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]) {
    files[`${folder}/${file}`] = readFileSync(join(DEMO_MODELS, "sentiment-distilbert", file));
  }
  return files;
}

/**
 * A transformers.js text-classification pipeline on a model folder below `modelsDir`, run in
 * this process (on onnxruntime-web): the reference a served model's answers are checked against.
 */
export async function inProcessClassifier(modelsDir: string, folder: string) {
  const transformers = await transformersOnWasm(modelsDir);
  // One runtime per process, shared by test files: point it at this folder for this load only.
  const previous = transformers.env.localModelPath;
  transformers.env.localModelPath = `${modelsDir}/`;
  try {
    return await transformers.pipeline("text-classification", folder, { device: "auto", dtype: "fp32" });
  } finally {
    transformers.env.localModelPath = previous;
  }
}
