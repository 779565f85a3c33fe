import Sentiment from "sentiment";
import { labelFromScore, type Backend } from "./backend.ts";

/**
 * The npm `sentiment` package (AFINN-165 word list, with its built-in English negation of the
 * next word). `score` and `comparative` always have the same sign, so either gives these labels.
 *
 * @example
 * const backend = afinnBackend(); backend.setup(); backend.classify(["Great!"]);
 */
export function afinnBackend(): Backend {
  let analyzer: Sentiment | undefined;
  return {
    name: "sentiment 5.0 (AFINN-165)",
    description: "npm `sentiment` 5.0.2; sign of `score`, NEUTRAL when 0",
    setup() {
      analyzer = new Sentiment();
    },
    classify(texts) {
      const afinn = analyzer;
      if (!afinn) throw new Error("setup() was not called");
      return texts.map((t) => labelFromScore(afinn.analyze(t).score));
    },
    dispose() {
      analyzer = undefined;
    },
  };
}
