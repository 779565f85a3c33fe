import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as Ort from "onnxruntime-web";
import type { TextClassificationPipeline } from "@huggingface/transformers";
import type { Classification, LoadedInfo, RuntimeOptions, TransformerLoadPayload } from "../host-protocol.ts";
import { TEXT_CLASSIFIER_SIGNATURE } from "../text-classifier-signature.ts";
import type { OrtEngine } from "./ort-engine.ts";
import type { SerialQueue } from "../../util/serial-queue.ts";
import type { WorkerModel } from "./worker-model.ts";
import { ModelFormatError } from "./worker-errors.ts";
import { cleanOrtMessage } from "./onnx-session-model.ts";

interface ClassifierConfig {
  model_type?: unknown;
  architectures?: unknown;
  id2label?: unknown;
  max_position_embeddings?: unknown;
}

/**
 * A Hugging Face style sequence classifier (config.json, tokenizer.json, onnx/model*.onnx) run
 * by transformers.js's text-classification pipeline on this host's runtime (onnxruntime-web, or
 * onnxruntime-node in the native host).
 */
export class TransformerClassifier implements WorkerModel {
  private constructor(
    private readonly pipe: TextClassificationPipeline,
    private readonly queue: SerialQueue,
    readonly info: LoadedInfo,
  ) {}

  /** Checks the folder's files, then builds the pipeline. */
  static async create(
    ort: typeof Ort,
    queue: SerialQueue,
    runtime: RuntimeOptions,
    payload: TransformerLoadPayload,
    engine: OrtEngine,
  ): Promise<TransformerClassifier> {
    const folder = join(payload.modelsDir, payload.folder);
    const config = (await readJson(folder, "config.json")) as ClassifierConfig;
    if (typeof config !== "object" || config === null || typeof config.model_type !== "string") {
      throw new ModelFormatError("config.json has no model_type");
    }
    const tokenizer = (await readJson(folder, "tokenizer.json")) as { model?: unknown };
    if (typeof tokenizer !== "object" || tokenizer === null || typeof tokenizer.model !== "object") {
      throw new ModelFormatError("tokenizer.json has no tokenizer model");
    }
    const { pipeline, env } = await engine.transformers(ort, runtime);
    let pipe: TextClassificationPipeline;
    try {
      pipe = (await queue.run(() => {
        // transformers.js reads its model folder from a global setting: set it inside the queue,
        // so that two loads from different folders cannot swap it under each other.
        env.localModelPath = payload.modelsDir.endsWith("/") ? payload.modelsDir : `${payload.modelsDir}/`;
        return pipeline("text-classification", payload.folder, {
          device: engine.device,
          dtype: payload.dtype as "fp32",
          local_files_only: !runtime.allowRemoteModels,
          session_options: engine.sessionOptions(runtime),
        });
      })) as TextClassificationPipeline;
    } catch (error) {
      throw new ModelFormatError(`transformers.js could not load the model: ${cleanOrtMessage(error)}`);
    }
    if (pipe.tokenizer === null || pipe.tokenizer === undefined) {
      await pipe.dispose();
      throw new ModelFormatError("transformers.js found no tokenizer: add tokenizer_config.json (with tokenizer_class) beside tokenizer.json");
    }
    clampMaxLength(pipe, config);
    const labels = labelNames(config.id2label);
    return new TransformerClassifier(pipe, queue, {
      signature: TEXT_CLASSIFIER_SIGNATURE,
      details: {
        architecture: Array.isArray(config.architectures) ? config.architectures[0] : undefined,
        transformer_type: config.model_type,
        labels,
        dtype: payload.dtype,
        backend: engine.kind,
        max_length: pipe.tokenizer.model_max_length,
      },
    });
  }

  async classify(texts: string[]): Promise<Classification[]> {
    if (texts.length === 0) return [];
    const output = await this.queue.run(() => this.pipe(texts, { top_k: 1 }));
    return (output as unknown[]).map((item) => {
      const best = (Array.isArray(item) ? item[0] : item) as { label: string; score: number };
      return { label: best.label, score: best.score };
    });
  }

  async dispose(): Promise<void> {
    await this.queue.run(() => this.pipe.dispose());
  }
}

async function readJson(folder: string, file: string): Promise<unknown> {
  const text = await readFile(join(folder, file), "utf8").catch(() => undefined);
  if (text === undefined) throw new ModelFormatError(`${file} is missing`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError(`${file} is not valid JSON: ${reason.slice(0, 200)}`);
  }
}

function labelNames(id2label: unknown): string[] {
  if (typeof id2label !== "object" || id2label === null) return [];
  return Object.entries(id2label as Record<string, unknown>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, label]) => String(label));
}

/**
 * Without a sane `model_max_length` the tokenizer would not truncate, and a long text would
 * index past the position embeddings inside the graph. Cap it at what the model can take.
 */
function clampMaxLength(pipe: TextClassificationPipeline, config: ClassifierConfig): void {
  const positions = typeof config.max_position_embeddings === "number" ? config.max_position_embeddings : 512;
  const tokenizer = pipe.tokenizer as { model_max_length?: number };
  if (!(typeof tokenizer.model_max_length === "number" && tokenizer.model_max_length <= positions)) {
    tokenizer.model_max_length = positions;
  }
}
