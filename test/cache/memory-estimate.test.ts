import { describe, expect, test } from "bun:test";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { estimateMemory } from "../../src/cache/memory-estimate.ts";
import type { ModelSpec } from "../../src/cache/model-types.ts";
import { transformerModelBytes } from "../../src/discovery/transformer-weights.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels } from "../helpers/temp-models.ts";

const spec = (overrides: Partial<ModelSpec>): ModelSpec => ({ name: "m", modelType: "onnx", version: "1.0.0", required: false, preload: true, ...overrides });
const sizeOf = async (...parts: string[]) => (await stat(join(...parts))).size;

describe("transformerModelBytes", () => {
  test("counts the weights of the chosen dtype, their external data and the tokenizer files, not the other dtypes", async () => {
    const bert = join(DEMO_MODELS, "sentiment-bert");
    const models = await tempModels({
      "clf/config.json": { copy: join(bert, "config.json") },
      "clf/tokenizer.json": { copy: join(bert, "tokenizer.json") },
      "clf/tokenizer_config.json": { copy: join(bert, "tokenizer_config.json") },
      "clf/onnx/model.onnx": { copy: join(bert, "onnx/model.onnx") },
      "clf/onnx/model_quantized.onnx": "q".repeat(1000),
      "clf/onnx/model_quantized.onnx_data": "d".repeat(5000),
      "clf/onnx/model_quantized.onnx_data_1": "d".repeat(700),
    });
    try {
      const folder = join(models.dir, "clf");
      const tokenizer = (await sizeOf(bert, "config.json")) + (await sizeOf(bert, "tokenizer.json")) + (await sizeOf(bert, "tokenizer_config.json"));
      expect(await transformerModelBytes(folder, "q8")).toBe(tokenizer + 1000 + 5000 + 700);
      expect(await transformerModelBytes(folder, "fp32")).toBe(tokenizer + (await sizeOf(bert, "onnx/model.onnx")));
    } finally {
      await models.cleanup();
    }
  });
});

describe("estimateMemory", () => {
  test("an ONNX model: its size on disk (the graph and its external data)", async () => {
    expect(await estimateMemory(spec({ sizeBytes: 4096 }))).toBe(4096);
  });

  test("a model measured before from files of the same size: what it measured", async () => {
    const past = { memory: { bytes: 5000, method: "weights" as const }, sizeBytes: 4096 };
    expect(await estimateMemory(spec({ sizeBytes: 4096 }), past)).toBe(5000);
    // Its files changed since: estimated afresh.
    expect(await estimateMemory(spec({ sizeBytes: 8192 }), past)).toBe(8192);
    // A past figure that was itself an estimate is not a measure.
    expect(await estimateMemory(spec({ sizeBytes: 4096 }), { ...past, memory: { bytes: 5000, method: "estimate" } })).toBe(4096);
  });

  test("a transformer: the files of its dtype; a Prophet export: a few times its text; the lexicon: a fixed figure", async () => {
    const bert = join(DEMO_MODELS, "sentiment-bert");
    expect(await estimateMemory(spec({ modelType: "transformer", path: bert, dtype: "fp32", sizeBytes: 1 }))).toBe(await transformerModelBytes(bert, "fp32"));
    expect(await estimateMemory(spec({ modelType: "prophet", sizeBytes: 1000 }))).toBe(3000);
    expect(await estimateMemory(spec({ modelType: "lexicon" }))).toBe(12 * 2 ** 20);
    expect(await estimateMemory(spec({ modelType: "custom" }))).toBe(0);
  });
});
