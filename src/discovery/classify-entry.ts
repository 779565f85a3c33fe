import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ModelType } from "../cache/model-types.ts";

/** What a file or folder in the models folder turned out to be. */
export interface EntryKind {
  modelType: ModelType;
  /** transformers.js dtype of the weights to load (transformer folders). */
  dtype?: string;
  /** Why it cannot load, found without reading model bytes. */
  problem?: string;
}

/** Weights files of a Hugging Face ONNX export and the transformers.js dtype of each, best first. */
export const TRANSFORMER_WEIGHTS: readonly [file: string, dtype: string][] = [
  ["model.onnx", "fp32"],
  ["model_quantized.onnx", "q8"],
  ["model_fp16.onnx", "fp16"],
  ["model_int8.onnx", "int8"],
  ["model_uint8.onnx", "uint8"],
  ["model_q4.onnx", "q4"],
  ["model_q4f16.onnx", "q4f16"],
  ["model_bnb4.onnx", "bnb4"],
];

/**
 * Decides what a models-folder entry is from its name and the names of the files it holds:
 * `x.onnx`/`x.ort` and folders with `model.onnx`/`model.ort` are ONNX graphs; folders with
 * `config.json`, `tokenizer.json` or `onnx/` are Hugging Face text classifiers; `x.json` is a
 * Prophet export. Returns `undefined` for anything else.
 */
export async function classifyEntry(path: string, isDirectory: boolean, fileName: string): Promise<EntryKind | undefined> {
  if (!isDirectory) {
    if (/\.(onnx|ort)$/i.test(fileName)) return { modelType: "onnx" };
    if (/\.json$/i.test(fileName)) return { modelType: "prophet" };
    return undefined;
  }
  const files = new Set(await readdir(path).catch(() => [] as string[]));
  const looksTransformer = files.has("config.json") || files.has("tokenizer.json") || files.has("onnx");
  if (looksTransformer && !files.has("model.onnx") && !files.has("model.ort")) {
    return transformerKind(path, files);
  }
  if (files.has("model.onnx") || files.has("model.ort")) return { modelType: "onnx" };
  return undefined;
}

async function transformerKind(path: string, files: Set<string>): Promise<EntryKind> {
  const missing = ["config.json", "tokenizer.json", "tokenizer_config.json"].filter((file) => !files.has(file));
  const weights = new Set(await readdir(join(path, "onnx")).catch(() => [] as string[]));
  const chosen = TRANSFORMER_WEIGHTS.find(([file]) => weights.has(file));
  if (chosen === undefined) missing.push("onnx/model.onnx (or another onnx/model*.onnx)");
  if (missing.length > 0) {
    return { modelType: "transformer", problem: `the model folder is missing ${missing.join(", ")}` };
  }
  return { modelType: "transformer", dtype: chosen![1] };
}

/** Bytes on disk of a file, or of every file below a folder. */
export async function sizeOnDisk(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    total += await sizeOnDisk(join(path, entry.name)).catch(() => 0);
  }
  return total;
}
