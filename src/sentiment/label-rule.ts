import type { SentimentLabel } from "./sentiment-result.ts";

/**
 * The knobs that turn wink-nlp's lexicon matches into a label. `DEFAULT_LABEL_RULE` documents
 * which were tuned on the evaluation sets and which were fixed beforehand.
 */
export interface LabelRule {
  /** A negated match must start at most this many tokens after its negator. */
  negationWindow: number;
  /** A negated valence becomes `-valence × negationScale` ("not good" is milder than "bad"). */
  negationScale: number;
  /** A booster multiplies the next valence by `1 + boost`; a dampener divides by it. */
  intensifierBoost: number;
  /** Weight of matches before the last "but"/"however" of their sentence. */
  contrastBefore: number;
  /** Weight of matches after it. */
  contrastAfter: number;
  /** Polarity of a text with a negator but no lexicon match; 0 turns the rule off. */
  negationOnlyPolarity: number;
  /** Polarities with |p| ≤ neutralBand are NEUTRAL. */
  neutralBand: number;
}

/**
 * The rule the service uses. The first five fields were chosen by grid search on the even-indexed
 * sentences of the four evaluation sets (`bun scripts/eval-sentiment/tune.ts`); their held-out
 * accuracy is in docs/sentiment-evaluation.md. `negationOnlyPolarity`'s magnitude and
 * `neutralBand` were fixed beforehand: the band is VADER's documented ±0.05, so both lexicon
 * analysers answer NEUTRAL under the same convention.
 */
export const DEFAULT_LABEL_RULE: Readonly<LabelRule> = Object.freeze({
  negationWindow: 5,
  negationScale: 0.74,
  intensifierBoost: 0.15,
  contrastBefore: 0.5,
  contrastAfter: 1.5,
  negationOnlyPolarity: -0.1,
  neutralBand: 0.05,
});

// Confidence of a NEUTRAL answer. A lexicon that found no net evidence cannot tell a neutral
// text from one whose sentiment words it lacks, so it never claims more than a coin flip.
const NEUTRAL_SCORE = 0.5;

/**
 * Maps a polarity in (-1, 1) to the service answer. POSITIVE/NEGATIVE get
 * `score = 0.5 + 0.5 × |polarity|` (0.5 = no better than chance, approaching 1 with strong
 * evidence); NEUTRAL always gets 0.5.
 *
 * @example
 * toLabel(0.61, DEFAULT_LABEL_RULE); // { label: "POSITIVE", score: 0.805 }
 */
export function toLabel(polarity: number, rule: LabelRule): { label: SentimentLabel; score: number } {
  if (!Number.isFinite(polarity) || Math.abs(polarity) <= rule.neutralBand) {
    return { label: "NEUTRAL", score: NEUTRAL_SCORE };
  }
  return {
    label: polarity > 0 ? "POSITIVE" : "NEGATIVE",
    score: Math.min(1, 0.5 + 0.5 * Math.abs(polarity)),
  };
}
