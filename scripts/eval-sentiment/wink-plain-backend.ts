import winkNLP, { type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { labelFromScore, type Backend } from "./backend.ts";

/**
 * wink-nlp used the way its documentation shows: the document's `its.sentiment` and its sign.
 * This is the starting point the lexicon fallback improves on.
 *
 * @example
 * const backend = winkPlainBackend(); backend.setup(); backend.classify(["Not good."]);
 */
export function winkPlainBackend(): Backend {
  let nlp: WinkMethods | undefined;
  return {
    name: "wink-nlp, sign rule",
    description:
      "wink-nlp 2.4 + wink-eng-lite-web-model 1.8, pipe sbd/negation/sentiment; sign of " +
      "doc.out(its.sentiment), NEUTRAL when exactly 0",
    setup() {
      nlp = winkNLP(model, ["sbd", "negation", "sentiment"]);
    },
    classify(texts) {
      const wink = nlp;
      if (!wink) throw new Error("setup() was not called");
      return texts.map((t) => labelFromScore(wink.readDoc(t).out(wink.its.sentiment) as unknown as number));
    },
    dispose() {
      nlp = undefined;
    },
  };
}
