import type { DocFeatures, LexiconHit } from "./wink-reader.ts";
import type { LabelRule } from "./label-rule.ts";
import {
  BOOSTERS, CONTRASTS, DAMPENERS, EXTRA_NEGATORS, NEGATORS, NOT_FOLLOWERS_THAT_STILL_NEGATE,
} from "./word-lists.ts";

// Squashes the summed valence into (-1, 1) like VADER's compound score (x / sqrt(x² + α)); with
// wink's valences in [-1, 1], α = 1 maps one plain "good" (0.776) to 0.61.
const SQUASH_ALPHA = 1;
// How far back an intensifier may sit: "very good", "really very good".
const INTENSIFIER_REACH = 2;

/**
 * Turns one wink-nlp reading into a polarity in (-1, 1): each lexicon match's valence is
 * adjusted (negation scope, intensifiers, "but" clauses), the matches are summed over the whole
 * text and squashed. A text with no lexicon match but with a negator gets
 * `rule.negationOnlyPolarity` (negated statements lean negative in reviews: Potts 2011,
 * "On the negativity of negation"); any other text without a match gets 0.
 *
 * @example
 * polarityOf(reader.read("The food was not good."), DEFAULT_LABEL_RULE); // ≈ -0.50
 */
export function polarityOf(doc: DocFeatures, rule: LabelRule): number {
  if (doc.hits.length === 0) {
    return rule.negationOnlyPolarity !== 0 && doc.normals.some((w) => NEGATORS.has(w))
      ? rule.negationOnlyPolarity
      : 0;
  }
  let sum = 0;
  for (const [first, last] of doc.sentences) {
    let contrastAt = -1;
    for (let i = first; i <= last; i += 1) if (CONTRASTS.has(doc.normals[i] ?? "")) contrastAt = i;
    for (const hit of doc.hits) {
      if (hit.start < first || hit.start > last) continue;
      let v = hit.valence * intensity(doc, hit, first, rule);
      if (isNegated(doc, hit, first, rule)) v = -v * rule.negationScale;
      if (contrastAt >= 0) v *= hit.start < contrastAt ? rule.contrastBefore : rule.contrastAfter;
      sum += v;
    }
  }
  return sum / Math.sqrt(sum * sum + SQUASH_ALPHA);
}

/** Multiplier from degree adverbs just before the match, without crossing punctuation. */
function intensity(doc: DocFeatures, hit: LexiconHit, first: number, rule: LabelRule): number {
  let factor = 1;
  const from = Math.max(first, hit.start - INTENSIFIER_REACH);
  for (let i = hit.start - 1; i >= from; i -= 1) {
    if (doc.types[i] === "punctuation") break;
    const word = doc.normals[i] ?? "";
    const twoWords = `${doc.normals[i - 1] ?? ""} ${word}`;
    if (BOOSTERS.has(word)) {
      // "not very good" must not come out more negative than "not good": no boost after a negator.
      if (!NEGATORS.has(doc.normals[i - 1] ?? "")) factor *= 1 + rule.intensifierBoost;
    } else if (DAMPENERS.has(word) || DAMPENERS.has(twoWords)) {
      factor /= 1 + rule.intensifierBoost;
    }
  }
  return factor;
}

/**
 * wink-nlp marks everything from a negator to the next punctuation or "but" as negated, however
 * far; we keep its decision (it already skips pseudo-negations such as "not only") but only
 * within `rule.negationWindow` tokens of the negator, and add the few negators it misses.
 */
function isNegated(doc: DocFeatures, hit: LexiconHit, first: number, rule: LabelRule): boolean {
  if (doc.negated[hit.start]) {
    let cue = hit.start;
    while (cue > first && doc.negated[cue - 1]) cue -= 1;
    return hit.start - (cue - 1) <= rule.negationWindow;
  }
  const from = Math.max(first, hit.start - rule.negationWindow);
  for (let i = hit.start - 1; i >= from; i -= 1) {
    const word = doc.normals[i] ?? "";
    if (doc.types[i] === "punctuation" || CONTRASTS.has(word)) return false;
    if (EXTRA_NEGATORS.has(word)) return true;
    if (word === "not" && NOT_FOLLOWERS_THAT_STILL_NEGATE.has(doc.normals[i + 1] ?? "")) return true;
  }
  return false;
}
