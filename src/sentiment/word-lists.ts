/*
 * Closed-class English word lists used by the label rule. They are general grammar (degree
 * adverbs, negators, contrastive conjunctions), written for this project and NOT picked by looking
 * at the evaluation sentences; the sentiment-bearing words themselves all come from wink-nlp's
 * lexicon.
 */

/** Degree adverbs that strengthen the sentiment word right after them ("very good"). */
export const BOOSTERS: ReadonlySet<string> = new Set([
  "absolutely", "completely", "deeply", "enormously", "entirely", "especially", "exceptionally",
  "extremely", "fully", "greatly", "highly", "hugely", "incredibly", "intensely", "most",
  "particularly", "quite", "really", "remarkably", "so", "super", "thoroughly", "too", "totally",
  "tremendously", "truly", "unbelievably", "utterly", "very",
]);

/** Degree adverbs (one or two words) that weaken the sentiment word after them ("a bit slow"). */
export const DAMPENERS: ReadonlySet<string> = new Set([
  "slightly", "somewhat", "fairly", "kinda", "sorta", "partly", "marginally", "mildly",
  "moderately", "a bit", "a little", "kind of", "sort of",
]);

/** Conjunctions after which the writer's real opinion usually follows ("good, but pricey"). */
export const CONTRASTS: ReadonlySet<string> = new Set(["but", "however"]);

/**
 * Negators, as wink-nlp normalises them (it expands "n't", "cannot" and "cant" to "not").
 * Used to detect a negated sentence that holds no lexicon word at all.
 */
export const NEGATORS: ReadonlySet<string> = new Set([
  "not", "no", "never", "nothing", "nobody", "none", "nowhere", "neither", "nor", "without",
  "hardly", "barely", "scarcely",
]);

/**
 * Negators that wink-nlp's negation model does not mark (checked on wink-nlp 2.4.0 with
 * wink-eng-lite-web-model 1.8.1): "nothing good" scored positive there.
 */
export const EXTRA_NEGATORS: ReadonlySet<string> = new Set(["nothing", "nobody", "nowhere"]);

/**
 * Words after "not" that wink-nlp treats as a pseudo-negation, but which still negate a
 * following sentiment word: "not so good", "not as good".
 */
export const NOT_FOLLOWERS_THAT_STILL_NEGATE: ReadonlySet<string> = new Set(["so", "as"]);
