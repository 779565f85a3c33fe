/**
 * The token estimate the HTTP thread groups texts by (src/batching/length-buckets.ts) against
 * the demo DistilBERT's own tokenizer: close on ordinary sentences, never far off, and longer
 * texts estimated longer. The counts are what transformers.js's AutoTokenizer gives for
 * models/sentiment-distilbert (input_ids with [CLS] and [SEP]), written down once.
 */
import { describe, expect, test } from "bun:test";
import { estimatedTokens } from "../../src/batching/length-buckets.ts";

const SENTENCES = [
  "it 's a charming and often affecting journey .",
  "unflinchingly bleak and desperate",
  "allows us to hope that nolan is poised to embark a major career as a commercial yet inventive filmmaker .",
  "the acting, costumes, music, cinematography and sound are all astounding given the production's austere locales.",
  "it's slow -- very, very slow.",
  "A gorgeous, witty, seductive movie.",
  "The story is predictable and the dialogue is terrible; I wanted my two hours back!",
  "although laced with humor and a few fanciful touches , the film is a refreshingly serious look at young women .",
  "Not bad.",
  "this 2002 remake is at least 30 minutes too long, and its 3-act structure never pays off",
];
const DISTILBERT_TOKENS = [12, 6, 24, 23, 13, 10, 19, 23, 5, 22];

describe("estimatedTokens", () => {
  test("within 15 % of the DistilBERT tokenizer's count on average, each within 50 %, and ordered with it", () => {
    const pairs = SENTENCES.map((text, index) => ({ estimate: estimatedTokens(text), actual: DISTILBERT_TOKENS[index]! }));
    const errors = pairs.map(({ estimate, actual }) => Math.abs(estimate - actual) / actual);
    expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.15);
    for (const error of errors) expect(error).toBeLessThan(0.5);
    const shortest = pairs.reduce((a, b) => (b.actual < a.actual ? b : a));
    const longest = pairs.reduce((a, b) => (b.actual > a.actual ? b : a));
    expect(shortest.estimate).toBeLessThan(longest.estimate);
  });

  test("counts words and punctuation, plus the two special tokens", () => {
    expect(estimatedTokens("")).toBe(2);
    expect(estimatedTokens("it's a charming movie.")).toBe(9);
    expect(estimatedTokens("  spaced   out  ")).toBe(4);
  });
});
