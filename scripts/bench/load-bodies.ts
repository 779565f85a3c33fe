/**
 * The requests of `bun run bench`, written as files wrk cycles through (one JSON body a line):
 * sentiment bodies from the SST-2 dev sentences, Open Inference Protocol bodies from the iris rows.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseLabelled } from "../eval-sentiment/datasets.ts";
import { IRIS_ROWS } from "../demo-models/iris/iris-data.ts";

/** Files the load generators read. */
export interface LoadBodies {
  /** Plain sentences, one a line (the in-process limit reads them). */
  sentences: string;
  /** `{"text": …}` bodies for POST /api/v1/sentiment. */
  sentiment: string;
  /** OIP infer bodies for the iris model. */
  iris: string;
}

/** Writes the body files below `dir` from the SST-2 dev set in `dataDir` (sst2_dev.tsv). */
export function writeLoadBodies(dir: string, dataDir: string): LoadBodies {
  const sst2 = join(dataDir, "sst2_dev.tsv");
  if (!existsSync(sst2)) {
    throw new Error(`${sst2} is missing: the benchmark sends real SST-2 sentences (set SENTIMENT_DATA_DIR or --data-dir)`);
  }
  const texts = parseLabelled(readFileSync(sst2, "utf8"), true).map((sentence) => sentence.text.trim());
  mkdirSync(dir, { recursive: true });
  const files: LoadBodies = { sentences: join(dir, "sentences.txt"), sentiment: join(dir, "sentiment.jsonl"), iris: join(dir, "iris.jsonl") };
  writeFileSync(files.sentences, `${texts.join("\n")}\n`);
  writeFileSync(files.sentiment, `${texts.map((text) => JSON.stringify({ text })).join("\n")}\n`);
  const iris = IRIS_ROWS.map((row) => JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: row.slice(0, 4) }] }));
  writeFileSync(files.iris, `${iris.join("\n")}\n`);
  return files;
}
