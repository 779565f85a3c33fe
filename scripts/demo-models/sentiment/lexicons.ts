/**
 * Reads the open sentiment lexicons shipped in installed npm packages. Only single-word
 * entries are kept: BERT pre-tokenisation splits on punctuation, so emoticons such as ":)"
 * and phrases such as "fed up" can never reach the model as one token.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** A lexicon: lowercase word → valence, plus where it came from. */
export interface Lexicon {
  name: string;
  /** npm package and version the entries were read from. */
  source: string;
  entries: Map<string, number>;
}

const require_ = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): { text: string; version: string } {
  const manifestPath = require_.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: string };
  return { text: readFileSync(join(dirname(manifestPath), file), "utf8"), version: manifest.version };
}

const WORD = /^[a-z]+$/;

/**
 * VADER's lexicon (mean human valence rating, −4 … +4) from vader-sentiment's
 * vader_lexicon.txt. Duplicate lines resolve to the last one, as in VADER's own loader.
 */
export function loadVaderLexicon(): Lexicon {
  const { text, version } = packageFile("vader-sentiment", "vader_lexicon.txt");
  const entries = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [word, mean] = line.split("\t");
    if (word === undefined || mean === undefined) continue;
    const key = word.toLowerCase();
    if (WORD.test(key)) entries.set(key, Number(mean));
  }
  return { name: "VADER", source: `vader-sentiment@${version} vader_lexicon.txt`, entries };
}

/** AFINN-165 (integer valence, −5 … +5) from the `sentiment` package's English labels. */
export function loadAfinnLexicon(): Lexicon {
  const { text, version } = packageFile("sentiment", "languages/en/labels.json");
  const labels = JSON.parse(text) as Record<string, number>;
  const entries = new Map<string, number>();
  for (const word of Object.keys(labels).sort()) {
    if (WORD.test(word)) entries.set(word, labels[word] as number);
  }
  return { name: "AFINN-165", source: `sentiment@${version} languages/en/labels.json`, entries };
}
