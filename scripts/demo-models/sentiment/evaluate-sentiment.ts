/**
 * Measures the demo text models through the real transformers.js pipeline (onnxruntime-web):
 *
 *   bun scripts/demo-models/sentiment/evaluate-sentiment.ts [--models DIR] [--fixtures DIR]
 *
 * Prints correct/total per model and data set, in the shape of MEASURED_CORRECT.
 * Data files: `sentence<TAB>label` (UCI, no header) or `text<TAB>label` with a header (SST-2);
 * lines are split on "\n" only, because imdb_labelled.txt holds U+0085 inside sentences.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { EVALUATION_SETS } from "./measured-accuracy.ts";
import { transformersOnWasm } from "./transformers-on-wasm.ts";

/** One labelled sentence; label 1 = positive. */
export interface LabelledSentence {
  text: string;
  label: 0 | 1;
}

/** Parses a labelled-sentence file (tab before the final 0/1; an optional header line). */
export function parseLabelled(content: string): LabelledSentence[] {
  const rows: LabelledSentence[] = [];
  for (const line of content.split("\n")) {
    const tab = line.lastIndexOf("\t");
    if (tab < 0) continue;
    const label = line.slice(tab + 1).trim();
    if (label !== "0" && label !== "1") continue; // header or malformed line
    rows.push({ text: line.slice(0, tab), label: label === "1" ? 1 : 0 });
  }
  return rows;
}

/** Correct predictions of one pipeline on each data set. */
export async function evaluateFolder(
  modelsDir: string,
  folder: string,
  fixturesDir: string,
): Promise<{ set: string; correct: number; total: number }[]> {
  const { pipeline } = await transformersOnWasm(modelsDir);
  const classify = await pipeline("sentiment-analysis", folder, { device: "auto", dtype: "fp32" });
  const results: { set: string; correct: number; total: number }[] = [];
  for (const set of EVALUATION_SETS) {
    const rows = parseLabelled(readFileSync(join(fixturesDir, set.name), "utf8"));
    let correct = 0;
    for (const row of rows) {
      const [top] = (await classify(row.text)) as { label: string; score: number }[];
      if ((top?.label === "POSITIVE" ? 1 : 0) === row.label) correct++;
    }
    results.push({ set: set.name, correct, total: rows.length });
  }
  await classify.dispose();
  return results;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

if (import.meta.main) {
  const modelsDir = resolve(option("--models", "models"));
  const fixturesDir = resolve(option("--fixtures", "/work/shared/fixtures/sentiment"));
  for (const folder of ["sentiment-bert", "sentiment-distilbert"]) {
    const results = await evaluateFolder(modelsDir, folder, fixturesDir);
    const right = results.reduce((a, r) => a + r.correct, 0);
    const total = results.reduce((a, r) => a + r.total, 0);
    for (const r of results) {
      console.log(`${folder}\t${r.set}\t${r.correct}/${r.total}\t${((100 * r.correct) / r.total).toFixed(1)}%`);
    }
    console.log(`${folder}\tall\t${right}/${total}\t${((100 * right) / total).toFixed(1)}%`);
    console.log(`  "${folder}": [${results.map((r) => r.correct).join(", ")}],`);
  }
}
