import vader from "vader-sentiment";
import { labelFromScore, type Backend } from "./backend.ts";

// VADER's README: compound ≥ 0.05 positive, ≤ -0.05 negative, otherwise neutral.
const VADER_NEUTRAL_BAND = 0.05;

/**
 * The npm `vader-sentiment` port of VADER (Hutto & Gilbert, 2014), labelled with its documented
 * compound-score thresholds.
 *
 * @example
 * const backend = vaderBackend(); backend.setup(); backend.classify(["Great!"]);
 */
export function vaderBackend(): Backend {
  return {
    name: "vader-sentiment 1.1 (VADER)",
    description: "npm `vader-sentiment` 1.1.3; `compound` with the documented ±0.05 thresholds",
    setup() {},
    classify(texts) {
      return texts.map((t) =>
        labelFromScore(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, VADER_NEUTRAL_BAND),
      );
    },
  };
}
