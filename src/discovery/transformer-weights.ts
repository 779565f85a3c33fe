import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { TRANSFORMER_WEIGHTS } from "./classify-entry.ts";

/** Files beside `onnx/` that transformers.js reads and keeps (parsed) for a classifier. */
const TOKENIZER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];

/**
 * Bytes of the files transformers.js loads for one dtype of a classifier folder: the weights file
 * (`onnx/model_quantized.onnx` for q8, …), its external data (`….onnx_data`, `….onnx_data_1`,
 * `….onnx.data`) and the tokenizer and config files. A folder holding several dtypes counts only
 * the chosen one. Missing files count as 0.
 *
 * @example
 * await transformerModelBytes("/srv/models/sentiment-bert", "fp32"); // 1843200
 */
export async function transformerModelBytes(folder: string, dtype: string): Promise<number> {
  const weights = TRANSFORMER_WEIGHTS.find(([, candidate]) => candidate === dtype)?.[0] ?? "model.onnx";
  const onnxFiles = await readdir(join(folder, "onnx")).catch(() => [] as string[]);
  const paths = [
    ...onnxFiles.filter((file) => file === weights || file.startsWith(`${weights}_data`) || file === `${weights}.data`).map((file) => join(folder, "onnx", file)),
    ...TOKENIZER_FILES.map((file) => join(folder, file)),
  ];
  let total = 0;
  for (const path of paths) total += await stat(path).then((info) => info.size, () => 0);
  return total;
}
