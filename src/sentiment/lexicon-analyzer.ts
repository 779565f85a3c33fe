import { cleanText, DEFAULT_MAX_CHARS } from "./clean-text.ts";
import { DEFAULT_LABEL_RULE, toLabel, type LabelRule } from "./label-rule.ts";
import { polarityOf } from "./polarity.ts";
import type { LexiconSentimentResult } from "./sentiment-result.ts";
import { createWinkReader, type WinkReader } from "./wink-reader.ts";

/** Options for {@link LexiconSentimentAnalyzer.create}. */
export interface LexiconAnalyzerOptions {
  /** Overrides for the label rule (evaluation and tuning only; the service uses the default). */
  rule?: Partial<LabelRule>;
  /** Only the first `maxChars` UTF-16 code units of a text are read (default 20 000). */
  maxChars?: number;
}

const EMPTY: LexiconSentimentResult = Object.freeze({ label: "NEUTRAL", score: 0.5, polarity: 0 });

/**
 * Pure-JS sentiment fallback: wink-nlp's lexicon (wink-eng-lite-web-model) plus a label rule for
 * negation scope, intensifiers, "but" clauses and negated sentences without sentiment words.
 * Synchronous and CPU-only (about 20–40 µs per sentence); the wink-nlp model is loaded once, in
 * {@link LexiconSentimentAnalyzer.create}.
 *
 * Texts longer than `maxChars` are cut (at a word boundary) and only their beginning is judged.
 *
 * @example
 * const analyzer = LexiconSentimentAnalyzer.create();
 * analyzer.analyze("Not good at all."); // { label: "NEGATIVE", score: 0.75, polarity: -0.5 }
 * analyzer.dispose();
 */
export class LexiconSentimentAnalyzer {
  #reader: WinkReader | undefined;
  readonly #rule: Readonly<LabelRule>;
  readonly #maxChars: number;

  private constructor(reader: WinkReader, rule: Readonly<LabelRule>, maxChars: number) {
    this.#reader = reader;
    this.#rule = rule;
    this.#maxChars = maxChars;
  }

  /** Loads wink-nlp and its English model (about 100 ms, blocking) and returns a ready analyser. */
  static create(options: LexiconAnalyzerOptions = {}): LexiconSentimentAnalyzer {
    const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
    if (!Number.isInteger(maxChars) || maxChars < 1) {
      throw new RangeError("maxChars must be a positive integer");
    }
    const rule = Object.freeze({ ...DEFAULT_LABEL_RULE, ...options.rule });
    return new LexiconSentimentAnalyzer(createWinkReader(), rule, maxChars);
  }

  /** The label rule in use. */
  get rule(): Readonly<LabelRule> {
    return this.#rule;
  }

  /** Labels one text; empty or whitespace-only text is NEUTRAL. */
  analyze(text: string): LexiconSentimentResult {
    const reader = this.#reader;
    if (!reader) throw new Error("LexiconSentimentAnalyzer has been disposed");
    if (typeof text !== "string" || text.trim() === "") return { ...EMPTY };
    const cleaned = cleanText(text, this.#maxChars).text;
    if (cleaned.trim() === "") return { ...EMPTY };
    const polarity = polarityOf(reader.read(cleaned), this.#rule);
    return { ...toLabel(polarity, this.#rule), polarity };
  }

  /** Labels several texts; the same as calling {@link analyze} on each, in order. */
  analyzeBatch(texts: readonly string[]): LexiconSentimentResult[] {
    return texts.map((text) => this.analyze(text));
  }

  /** Drops the wink-nlp instance; later calls throw. Safe to call twice. */
  dispose(): void {
    this.#reader = undefined;
  }
}
