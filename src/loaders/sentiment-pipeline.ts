import { LEXICON_MODEL } from "../discovery/discover-models.ts";
import type { SentimentAnswer, SentimentBackend, SentimentService } from "../sentiment/sentiment-service.ts";

/** A ready sentiment analyser as the loaders hand it out. */
export interface SentimentPipeline {
  /** Registry name of the model behind it. */
  readonly model: string;
  readonly backend: SentimentBackend;
  /** Labels texts (falling back to the lexicon if the model cannot answer). */
  analyze(texts: string[]): Promise<SentimentAnswer[]>;
}

/**
 * A pipeline bound to a transformer by name: each call takes the model's current instance from
 * the cache (so a reload never leaves it holding a released one), and falls back to the lexicon
 * when the transformer cannot answer.
 */
export function transformerPipeline(sentiment: SentimentService, name: string): SentimentPipeline {
  return { model: name, backend: "transformer", analyze: (texts) => sentiment.analyze(texts, name) };
}

/**
 * The fallback pipeline: whichever backend answers now — the lexicon until a transformer loads.
 * `model` and `backend` say which, at the time they are read.
 */
export function currentPipeline(sentiment: SentimentService): SentimentPipeline {
  return {
    get model() {
      return sentiment.transformerName() ?? LEXICON_MODEL;
    },
    get backend() {
      return sentiment.transformerName() === undefined ? "lexicon" : "transformer";
    },
    analyze: (texts) => sentiment.analyze(texts),
  };
}
