import winkNLP, { type ItemSentence, type Model } from "wink-nlp";
import model from "wink-eng-lite-web-model";

/** One lexicon match: tokens `start`..`end` (inclusive) and wink-nlp's valence, in [-1, 1]. */
export interface LexiconHit {
  start: number;
  end: number;
  valence: number;
}

/** What the label rule needs from one wink-nlp pass over a text. */
export interface DocFeatures {
  /** Normalised (lower-cased, contraction-expanded) token texts. */
  normals: string[];
  /** wink-nlp token types ("word", "punctuation", "emoji", ...). */
  types: string[];
  /** wink-nlp's negation flags: true for tokens inside a negation's scope. */
  negated: boolean[];
  /** Sentence spans as [first token, last token]. */
  sentences: Array<[number, number]>;
  /** Lexicon matches in token order, valence NOT yet flipped by negation. */
  hits: LexiconHit[];
  /** wink-nlp's own document sentiment (mean of sentence means), for comparison. */
  winkPolarity: number;
}

/** Reads texts with one wink-nlp instance. */
export interface WinkReader {
  read(text: string): DocFeatures;
}

// wink-nlp's sentiment model is a pair { machines, setter }: the setter receives the matched
// spans as [start, end, valence × 1000] and folds them into sentence averages, keeping no
// per-match record. It is the only place the matches are visible, so we wrap it.
type RawMatch = [number, number, string | number];
type SaSetter = (matches: RawMatch[], ...rest: unknown[]) => void;
interface SaModel {
  machines: unknown;
  setter: SaSetter;
}
type MetaCer = () => unknown;

// wink-eng-lite-web-model 1.8.1's metaCER() stores `JSON.stringify(machines)` back into its
// module-level `machines` on every call, so each new wink-nlp instance re-escapes the previous
// string: the string roughly doubles per instance, and about 20 reloads of the lexicon exhaust
// the heap. The first call's result is the intended one; every instance shares it.
let cerMetaModel: unknown;

/**
 * Loads wink-nlp with wink-eng-lite-web-model once (about 100 ms) and returns a reader that
 * exposes, per text, the tokens, negation flags, sentences and the individual lexicon matches.
 *
 * The matches come from a wrapper around the model's sentiment setter, an internal interface of
 * wink-eng-lite-web-model 1.8.1; a self-check at creation throws if an upgrade changed it, so the
 * failure shows up at start-up and in tests, not as silently wrong labels.
 *
 * @example
 * const reader = createWinkReader();
 * reader.read("Not good.").hits; // [{ start: 1, end: 1, valence: 0.776 }]
 */
export function createWinkReader(): WinkReader {
  let captured: LexiconHit[] = [];
  const base = model as unknown as Model & { sa: () => SaModel; metaCER: MetaCer };
  const hooked = {
    ...base,
    metaCER: () => (cerMetaModel ??= base.metaCER()),
    sa: (): SaModel => {
      const sa = base.sa();
      return {
        machines: sa.machines,
        setter: (matches, ...rest) => {
          // Copy before the original setter runs: it divides the valences in place.
          captured = matches.map(([start, end, v]) => ({ start, end, valence: Number(v) / 1000 }));
          sa.setter(matches, ...rest);
        },
      };
    },
  } as Model;
  const nlp = winkNLP(hooked, ["sbd", "negation", "sentiment"]);
  const its = nlp.its;

  const read = (text: string): DocFeatures => {
    captured = [];
    const doc = nlp.readDoc(text);
    const tokens = doc.tokens();
    const sentences: Array<[number, number]> = [];
    doc.sentences().each((s: ItemSentence) => {
      const [first, last] = s.out(its.span) as unknown as [number, number];
      sentences.push([first, last]);
    });
    return {
      normals: tokens.out(its.normal) as string[],
      types: tokens.out(its.type) as string[],
      negated: tokens.out(its.negationFlag) as unknown as boolean[],
      sentences,
      hits: captured,
      winkPolarity: doc.out(its.sentiment) as unknown as number,
    };
  };

  const probe = read("good");
  const hit = probe.hits[0];
  if (probe.hits.length !== 1 || !hit || Math.abs(hit.valence - probe.winkPolarity) > 1e-9) {
    throw new Error(
      "wink-eng-lite-web-model's sentiment setter no longer reports its matches as expected; " +
        "the lexicon analyser supports wink-nlp 2.4 with wink-eng-lite-web-model 1.8",
    );
  }
  return { read };
}
