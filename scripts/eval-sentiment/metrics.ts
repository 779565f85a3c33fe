import type { SentimentLabel } from "../../src/sentiment/sentiment-result.ts";
import type { LabelledSentence } from "./datasets.ts";

/**
 * Counts for one backend on some sentences. The sets are binary (no neutral sentences), so a
 * NEUTRAL answer is counted as wrong; `neutral` says how many answers were NEUTRAL.
 */
export interface Tally {
  n: number;
  correct: number;
  neutral: number;
}

/**
 * Scores `labels` (one per sentence, in order) against the gold labels, optionally only for the
 * sentences `keep` accepts.
 *
 * @example
 * tally([{ text: "x", positive: true, index: 0 }], ["NEUTRAL"]); // { n: 1, correct: 0, neutral: 1 }
 */
export function tally(
  sentences: readonly LabelledSentence[],
  labels: readonly SentimentLabel[],
  keep: (s: LabelledSentence) => boolean = () => true,
): Tally {
  const t: Tally = { n: 0, correct: 0, neutral: 0 };
  sentences.forEach((s, i) => {
    if (!keep(s)) return;
    const label = labels[i];
    t.n += 1;
    if (label === "NEUTRAL") t.neutral += 1;
    else if ((label === "POSITIVE") === s.positive) t.correct += 1;
  });
  return t;
}

/** Sums tallies. */
export function sumTallies(tallies: readonly Tally[]): Tally {
  const total: Tally = { n: 0, correct: 0, neutral: 0 };
  for (const t of tallies) {
    total.n += t.n;
    total.correct += t.correct;
    total.neutral += t.neutral;
  }
  return total;
}

/** correct / n (NaN for an empty tally). */
export function accuracy(t: Tally): number {
  return t.correct / t.n;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
