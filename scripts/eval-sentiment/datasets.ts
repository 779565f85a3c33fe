import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One labelled sentence; `index` is its 0-based position among the set's sentences. */
export interface LabelledSentence {
  text: string;
  positive: boolean;
  index: number;
}

/** A labelled evaluation set. */
export interface SentimentSet {
  name: string;
  file: string;
  sentences: LabelledSentence[];
}

/** The sets in ../shared/fixtures/sentiment and how their files are laid out. */
export const SET_FILES = [
  { name: "amazon", file: "amazon_cells_labelled.txt", header: false },
  { name: "imdb", file: "imdb_labelled.txt", header: false },
  { name: "yelp", file: "yelp_labelled.txt", header: false },
  { name: "sst2", file: "sst2_dev.tsv", header: true },
] as const;

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Where the sets live: `--data-dir <dir>` (or `--data-dir=<dir>`), else `SENTIMENT_DATA_DIR`,
 * else `../shared/fixtures/sentiment` next to the repository root (wherever it is checked out).
 *
 * @example
 * resolveDataDir(["--data-dir", "/data/sentiment"], {}); // "/data/sentiment"
 */
export function resolveDataDir(argv: readonly string[], env: Record<string, string | undefined>): string {
  const at = argv.indexOf("--data-dir");
  const flag = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--data-dir="))?.slice(11);
  if (at >= 0 && (!flag || flag.startsWith("--"))) throw new Error("--data-dir needs a directory");
  return resolve(flag ?? env.SENTIMENT_DATA_DIR ?? resolve(REPO_ROOT, "../shared/fixtures/sentiment"));
}

/**
 * Parses `sentence<TAB>label` lines (label 1 = positive, 0 = negative). Lines are split on "\n"
 * only: the IMDB file holds U+0085 (NEXT LINE) inside sentences, which other splitters treat as
 * a line break.
 *
 * @example
 * parseLabelled("Great phone.\t1\nBroke.\t0\n", false).length; // 2
 */
export function parseLabelled(content: string, header: boolean): LabelledSentence[] {
  const lines = content.split("\n");
  const sentences: LabelledSentence[] = [];
  lines.forEach((raw, lineNo) => {
    if (header && lineNo === 0) return;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const tab = line.lastIndexOf("\t");
    const label = line.slice(tab + 1).trim();
    if (tab < 0 || (label !== "0" && label !== "1")) {
      throw new Error(`line ${lineNo + 1}: expected "sentence<TAB>0|1"`);
    }
    sentences.push({ text: line.slice(0, tab), positive: label === "1", index: sentences.length });
  });
  return sentences;
}

/** Reads all four sets from `dir`. */
export async function loadSets(dir: string): Promise<SentimentSet[]> {
  return Promise.all(
    SET_FILES.map(async ({ name, file, header }) => {
      const content = await readFile(resolve(dir, file), "utf8").catch((error: Error) => {
        throw new Error(`cannot read ${file} in ${dir} (set SENTIMENT_DATA_DIR or --data-dir): ${error.message}`);
      });
      try {
        return { name, file, sentences: parseLabelled(content, header) };
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
    }),
  );
}

/**
 * The fixed split used for tuning: even `index` = tuning half, odd = held-out half.
 *
 * @example
 * inHalf({ text: "", positive: true, index: 4 }, "tuning"); // true
 */
export function inHalf(sentence: LabelledSentence, half: "tuning" | "heldOut"): boolean {
  return (sentence.index % 2 === 0) === (half === "tuning");
}
