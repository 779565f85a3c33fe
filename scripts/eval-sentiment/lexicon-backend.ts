import { LexiconSentimentAnalyzer } from "../../src/sentiment/lexicon-analyzer.ts";
import type { Backend } from "./backend.ts";

/**
 * The service's lexicon fallback, exactly as the service builds it (default label rule).
 *
 * @example
 * const backend = lexiconBackend(); backend.setup(); backend.classify(["Great!"]);
 */
export function lexiconBackend(): Backend {
  let analyzer: LexiconSentimentAnalyzer | undefined;
  return {
    name: "lexicon fallback (ours)",
    description:
      "wink-nlp lexicon + this project's label rule (negation window, intensifiers, 'but' " +
      "clauses, negated sentences lean negative); NEUTRAL when |polarity| ≤ 0.05",
    setup() {
      analyzer = LexiconSentimentAnalyzer.create();
    },
    classify(texts) {
      if (!analyzer) throw new Error("setup() was not called");
      return analyzer.analyzeBatch(texts).map((r) => r.label);
    },
    dispose() {
      analyzer?.dispose();
      analyzer = undefined;
    },
  };
}
