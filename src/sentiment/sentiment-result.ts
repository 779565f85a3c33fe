/**
 * The service's sentiment answer, shared by every sentiment backend (transformer or lexicon).
 *
 * @example
 * const answer: SentimentResult = { label: "POSITIVE", score: 0.81 };
 */
export type SentimentLabel = "POSITIVE" | "NEGATIVE" | "NEUTRAL";

/** A label and the confidence in that label, in [0, 1]. */
export interface SentimentResult {
  label: SentimentLabel;
  /** Confidence in `label`, in [0, 1]. */
  score: number;
}

/**
 * What the lexicon analyser returns: the service answer plus the signed polarity it came from,
 * in (-1, 1), negative to positive (0 when there was no usable evidence).
 *
 * @example
 * const r: LexiconSentimentResult = { label: "NEGATIVE", score: 0.75, polarity: -0.5 };
 */
export interface LexiconSentimentResult extends SentimentResult {
  polarity: number;
}
