import type { SentimentLabel } from "./sentiment-result.ts";

/**
 * Maps a classifier's label to the service's three labels: `POSITIVE`, `positive`, `POS`,
 * `LABEL_POSITIVE` → POSITIVE, and so on. `undefined` for labels that are not sentiment
 * (`joy`, `LABEL_0`, …).
 *
 * @example
 * toSentimentLabel("positive"); // "POSITIVE"
 */
export function toSentimentLabel(label: string): SentimentLabel | undefined {
  const upper = label.toUpperCase();
  if (upper.includes("POS")) return "POSITIVE";
  if (upper.includes("NEG")) return "NEGATIVE";
  if (upper.includes("NEU")) return "NEUTRAL";
  return undefined;
}

/** True when every label of a classifier maps to a sentiment label, and both poles are there. */
export function isSentimentLabelSet(labels: readonly string[]): boolean {
  const mapped = labels.map(toSentimentLabel);
  return mapped.every((label) => label !== undefined) && mapped.includes("POSITIVE") && mapped.includes("NEGATIVE");
}
