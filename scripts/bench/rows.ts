/** The servers `bun run bench` compares, one row each, and how each is started and driven. */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { BenchModel } from "./models/bench-model-folders.ts";
import type { LoadBodies } from "./load-bodies.ts";
import type { ServerCommand } from "./server-process.ts";

const REPO = join(import.meta.dir, "..", "..");
const PEERS = join(import.meta.dir, "peers");
const BUN = process.execPath;

/** A server driven over HTTP by wrk. */
export interface HttpRow {
  kind: "http";
  label: string;
  command: ServerCommand;
  /** Path the load is POSTed to. */
  path: string;
  /** File of bodies to cycle through. */
  bodies: string;
}

/** The model run in one process without HTTP (scripts/bench/peers/in-process-limit.ts). */
export interface InProcessRow {
  kind: "in-process";
  label: string;
  argv: string[];
  env: Record<string, string>;
}

export type BenchRow = HttpRow | InProcessRow;

/** model-cache from source with its defaults, on a models folder of its own. */
export function modelCacheCommand(model: BenchModel, extraEnv: Record<string, string> = {}): ServerCommand {
  return {
    argv: [BUN, join(REPO, "src", "main.ts")],
    env: {
      MODELS_DIR: model.modelsDir,
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ADMIN_TOKEN: "bench-admin-token-0123456789",
      BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
      ...extraEnv,
    },
    readyPath: `/v2/models/${model.name}/ready`,
  };
}

function plainTransformers(model: BenchModel, env: Record<string, string>): ServerCommand {
  return {
    argv: [BUN, join(PEERS, "plain-transformers-server.ts")],
    env: { MODELS_DIR: model.modelsDir, MODEL: model.name, ...env },
    readyPath: `/v2/models/${model.name}/ready`,
  };
}

/** Rows of the DistilBERT-sized table (fp32, or the int8 variant with `int8`). */
export function distilbertRows(model: BenchModel, bodies: LoadBodies, int8: boolean, extraEnv: Record<string, string> = {}): BenchRow[] {
  const dtype: Record<string, string> = int8 ? { DTYPE: "q8" } : {};
  const tag = int8 ? " · int8" : "";
  const sentiment = { kind: "http" as const, path: "/api/v1/sentiment", bodies: bodies.sentiment };
  const rows: BenchRow[] = [
    { ...sentiment, label: `model-cache, defaults${tag}`, command: modelCacheCommand(model, extraEnv) },
    { ...sentiment, label: `plain Bun.serve + transformers.js (native)${tag}`, command: plainTransformers(model, dtype) },
  ];
  if (!int8) {
    rows.push({
      ...sentiment,
      label: `plain Bun.serve + transformers.js (WASM, ${availableParallelism()} threads)`,
      command: plainTransformers(model, { ORT: "wasm" }),
    });
  }
  rows.push({
    kind: "in-process",
    label: `in-process limit (native, length-grouped batches)${tag}`,
    argv: [BUN, join(PEERS, "in-process-limit.ts")],
    env: { MODELS_DIR: model.modelsDir, MODEL: model.name, SENTENCES_FILE: bodies.sentences, ...dtype },
  });
  return rows;
}

/** Rows of the tiny-model table: iris over OIP and the demo sentiment model. */
export function tinyRows(iris: BenchModel, sentiment: BenchModel, bodies: LoadBodies, extraEnv: Record<string, string> = {}): BenchRow[] {
  const infer = `/v2/models/${iris.name}/infer`;
  return [
    { kind: "http", label: "model-cache: iris OIP infer", command: modelCacheCommand(iris, extraEnv), path: infer, bodies: bodies.iris },
    {
      kind: "http",
      label: "raw Bun.serve + onnxruntime-web in-thread: iris",
      command: {
        argv: [BUN, join(PEERS, "raw-ort-server.ts")],
        env: { MODEL_FILE: join(iris.modelsDir, `${iris.name}.onnx`), MODEL: iris.name },
        readyPath: `/v2/models/${iris.name}/ready`,
      },
      path: infer,
      bodies: bodies.iris,
    },
    { kind: "http", label: "model-cache: demo sentiment", command: modelCacheCommand(sentiment, extraEnv), path: "/api/v1/sentiment", bodies: bodies.sentiment },
    {
      kind: "http",
      label: "plain Bun.serve + transformers.js (native): demo sentiment",
      command: plainTransformers(sentiment, {}),
      path: "/api/v1/sentiment",
      bodies: bodies.sentiment,
    },
  ];
}
