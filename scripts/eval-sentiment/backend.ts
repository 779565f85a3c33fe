import type { SentimentLabel } from "../../src/sentiment/sentiment-result.ts";

/**
 * One sentiment analyser under evaluation. The runner calls `setup()` once, then `classify()` on
 * whole sets (so batch-oriented backends such as a transformer pipeline can batch), then
 * `dispose()`. Every backend must answer with the service's labels; how it maps its own output
 * to them is stated in `description`.
 *
 * @example
 * const backend: Backend = {
 *   name: "always positive",
 *   description: "baseline",
 *   setup() {},
 *   classify: (texts) => texts.map(() => "POSITIVE"),
 * };
 */
export interface Backend {
  /** Short name, used as the table row label. */
  readonly name: string;
  /** What it is and how its output becomes a label (one sentence, for the report). */
  readonly description: string;
  /** Loads models; throw {@link BackendUnavailable} to have the backend skipped with a note. */
  setup(): Promise<void> | void;
  /** Labels every text, in order. */
  classify(texts: readonly string[]): Promise<SentimentLabel[]> | SentimentLabel[];
  /** Frees what setup() loaded. */
  dispose?(): Promise<void> | void;
}

/**
 * Thrown by `setup()` when a backend cannot run in this checkout (for instance a model that is not
 * built yet). The runner prints the message and carries on without inventing numbers.
 *
 * @example
 * throw new BackendUnavailable("the transformers.js worker is not built yet");
 */
export class BackendUnavailable extends Error {
  override readonly name = "BackendUnavailable";
}

/**
 * The labelling convention shared by the score-based backends: strictly positive scores are
 * POSITIVE, strictly negative NEGATIVE, and scores within ±`band` NEUTRAL.
 *
 * @example
 * labelFromScore(-0.3, 0.05); // "NEGATIVE"
 */
export function labelFromScore(score: number, band = 0): SentimentLabel {
  if (!(Math.abs(score) > band)) return "NEUTRAL";
  return score > 0 ? "POSITIVE" : "NEGATIVE";
}
