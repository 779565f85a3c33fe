/**
 * `bun scripts/eval-sentiment/tune.ts [--data-dir DIR]`
 *
 * Re-runs the grid search behind DEFAULT_LABEL_RULE: every combination below is scored on the
 * tuning half (even-indexed sentences of every set); the best one (ties: first in grid order) is
 * then reported on the held-out half and on all sentences, next to plain wink-nlp and to the
 * default rule with one component switched off at a time. Uses the analyser's own functions
 * (cleanText → wink reader → polarityOf → toLabel), so the figures are the analyser's.
 */
import { cleanText, DEFAULT_MAX_CHARS } from "../../src/sentiment/clean-text.ts";
import { DEFAULT_LABEL_RULE, toLabel, type LabelRule } from "../../src/sentiment/label-rule.ts";
import { polarityOf } from "../../src/sentiment/polarity.ts";
import type { SentimentLabel } from "../../src/sentiment/sentiment-result.ts";
import { createWinkReader, type DocFeatures } from "../../src/sentiment/wink-reader.ts";
import { labelFromScore } from "./backend.ts";
import { inHalf, loadSets, resolveDataDir, type LabelledSentence } from "./datasets.ts";
import { accuracy, tally } from "./metrics.ts";

/** The searched values; fields not listed keep DEFAULT_LABEL_RULE's fixed value. */
const GRID = {
  negationWindow: [99, 2, 3, 4, 5, 6],
  negationScale: [1, 0.74, 0.5],
  intensifierBoost: [0, 0.15, 0.3, 0.5],
  contrast: [[1, 1], [0.5, 1.5], [0.25, 1], [0, 1]] as const,
  negationOnlyPolarity: [0, DEFAULT_LABEL_RULE.negationOnlyPolarity],
};

type Doc = { sentence: LabelledSentence; features: DocFeatures };
type Part = "tuning" | "heldOut" | "all";

const reader = createWinkReader();
const sets = await loadSets(resolveDataDir(process.argv.slice(2), process.env));
const docs: Doc[] = sets.flatMap((set) =>
  set.sentences.map((sentence) => ({
    sentence,
    features: reader.read(cleanText(sentence.text, DEFAULT_MAX_CHARS).text),
  })),
);

function score(label: (f: DocFeatures) => SentimentLabel, part: Part): number {
  const keep = (s: LabelledSentence) => part === "all" || inHalf(s, part);
  return accuracy(tally(docs.map((d) => d.sentence), docs.map((d) => label(d.features)), keep));
}
const byRule = (rule: LabelRule) => (f: DocFeatures) => toLabel(polarityOf(f, rule), rule).label;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const row = (name: string, label: (f: DocFeatures) => SentimentLabel) =>
  `| ${name} | ${pct(score(label, "tuning"))} | ${pct(score(label, "heldOut"))} | ${pct(score(label, "all"))} |`;

const ranked: Array<{ rule: LabelRule; acc: number }> = [];
for (const negationWindow of GRID.negationWindow)
  for (const negationScale of GRID.negationScale)
    for (const intensifierBoost of GRID.intensifierBoost)
      for (const [contrastBefore, contrastAfter] of GRID.contrast)
        for (const negationOnlyPolarity of GRID.negationOnlyPolarity) {
          const rule: LabelRule = {
            ...DEFAULT_LABEL_RULE, negationWindow, negationScale, intensifierBoost,
            contrastBefore, contrastAfter, negationOnlyPolarity,
          };
          ranked.push({ rule, acc: score(byRule(rule), "tuning") });
        }
// Stable sort: equal accuracies keep grid order.
ranked.sort((a, b) => b.acc - a.acc);
const best = ranked[0]!.rule;
const show = (r: LabelRule) =>
  `window ${r.negationWindow}, scale ${r.negationScale}, boost ${r.intensifierBoost}, ` +
  `but ${r.contrastBefore}/${r.contrastAfter}, negation-only ${r.negationOnlyPolarity}`;

const tuningSize = docs.filter((d) => inHalf(d.sentence, "tuning")).length;
console.log(`${ranked.length} rules tried on the tuning half (${tuningSize} sentences).`);
console.log("Top 5 on the tuning half:");
for (const { rule, acc } of ranked.slice(0, 5)) console.log(`  ${pct(acc)}  ${show(rule)}`);
console.log(`Worst: ${pct(ranked.at(-1)!.acc)}  ${show(ranked.at(-1)!.rule)}`);
console.log(`Best:    ${show(best)}`);
console.log(`Default: ${show(DEFAULT_LABEL_RULE)}\n`);

const off: Array<[string, Partial<LabelRule>]> = [
  ["without negation window", { negationWindow: 99 }],
  ["without negation scale", { negationScale: 1 }],
  ["without intensifiers", { intensifierBoost: 0 }],
  ["without 'but' weights", { contrastBefore: 1, contrastAfter: 1 }],
  ["without negation-only rule", { negationOnlyPolarity: 0 }],
  ["without neutral band", { neutralBand: 0 }],
];
console.log("| Rule | tuning half | held-out half | all |\n| --- | ---: | ---: | ---: |");
console.log(row("wink-nlp, sign of its.sentiment", (f) => labelFromScore(f.winkPolarity)));
console.log(row("best of grid", byRule(best)));
console.log(row("DEFAULT_LABEL_RULE", byRule(DEFAULT_LABEL_RULE)));
for (const [name, change] of off) console.log(row(`default ${name}`, byRule({ ...DEFAULT_LABEL_RULE, ...change })));

// How well `score` (the confidence) matches the observed accuracy of POSITIVE/NEGATIVE answers.
const bins = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
console.log("\n| score (confidence) | answers | accuracy |\n| --- | ---: | ---: |");
for (let b = 0; b + 1 < bins.length; b += 1) {
  const lo = bins[b]!;
  const hi = bins[b + 1]!;
  let n = 0;
  let correct = 0;
  for (const d of docs) {
    const { label, score: conf } = toLabel(polarityOf(d.features, DEFAULT_LABEL_RULE), DEFAULT_LABEL_RULE);
    if (label === "NEUTRAL" || conf < lo || conf >= hi) continue;
    n += 1;
    if ((label === "POSITIVE") === d.sentence.positive) correct += 1;
  }
  console.log(`| ${lo.toFixed(1)}–${Math.min(hi, 1).toFixed(1)} | ${n} | ${n ? pct(correct / n) : "–"} |`);
}
