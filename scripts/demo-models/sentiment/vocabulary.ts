/**
 * The WordPiece vocabulary of the demo text models: special tokens first ([PAD] = 0), then
 * punctuation, digits, letters, common words, the lexicon words, and a few "##" suffixes.
 * Sorting uses code-unit order (never localeCompare, which depends on the ICU build).
 */
import { COMMON_WORDS, PUNCTUATION, SUFFIXES } from "./word-lists.ts";

/** Special tokens in id order. */
export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Token list (index = id) and the reverse map. */
export interface Vocabulary {
  tokens: string[];
  ids: Map<string, number>;
}

/**
 * Builds the vocabulary; `words` are the sentiment-bearing and rule words the model scores.
 * @example
 * const vocab = buildVocabulary(["good", "bad", "not"]);
 * vocab.ids.get("[CLS]"); // 2
 */
export function buildVocabulary(words: Iterable<string>): Vocabulary {
  const tokens: string[] = [];
  const ids = new Map<string, number>();
  const add = (t: string) => {
    if (ids.has(t)) return;
    ids.set(t, tokens.length);
    tokens.push(t);
  };
  SPECIAL_TOKENS.forEach(add);
  PUNCTUATION.forEach(add);
  for (let d = 0; d <= 9; d++) add(String(d));
  for (let c = 97; c <= 122; c++) add(String.fromCharCode(c));
  COMMON_WORDS.forEach(add);
  [...new Set(words)].sort().forEach(add);
  SUFFIXES.forEach(add);
  return { tokens, ids };
}
