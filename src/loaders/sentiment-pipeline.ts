import { LEXICON_MODEL } from "../discovery/discover-models.ts";
import type { SentimentAnswer, SentimentBackend, SentimentService } from "../sentiment/sentiment-service.ts";

/**
 * A ready sentiment analyser as the loaders hand it out. Like the seed's (a transformers
 * pipeline), it is called directly — with one text or a list — and answers a list with one
 * answer per text; `analyze(texts)` does the same for a list.
 *
 * @example
 * const pipeline = getModelLoader().getSentimentPipeline()!;
 * const [answer] = await pipeline("Great value");          // [{ label: "POSITIVE", score, backend, model }]
 * const answers = await pipeline(["Great value", "Broke"]); // one answer per text
 */
export interface SentimentPipeline {
  (text: string): Promise<SentimentAnswer[]>;
  (texts: readonly string[]): Promise<SentimentAnswer[]>;
  /** Registry name of the model behind it. */
  readonly model: string;
  readonly backend: SentimentBackend;
  /** Labels texts (falling back to the lexicon if the model cannot answer). */
  analyze(texts: readonly string[]): Promise<SentimentAnswer[]>;
}

/**
 * A pipeline bound to a transformer by name: each call takes the model's current instance from
 * the cache (so a reload never leaves it holding a released one), and falls back to the lexicon
 * when the transformer cannot answer.
 */
export function transformerPipeline(sentiment: SentimentService, name: string): SentimentPipeline {
  return callablePipeline((texts) => sentiment.analyze(texts, name), () => name, () => "transformer");
}

/**
 * The fallback pipeline: whichever backend answers now — the lexicon until a transformer loads.
 * `model` and `backend` say which, at the time they are read.
 */
export function currentPipeline(sentiment: SentimentService): SentimentPipeline {
  return callablePipeline(
    (texts) => sentiment.analyze(texts),
    () => sentiment.transformerName() ?? LEXICON_MODEL,
    () => (sentiment.transformerName() === undefined ? "lexicon" : "transformer"),
  );
}

/** Checks what a JavaScript caller passed (TypeScript callers cannot pass anything else). */
function textsOf(input: unknown): string[] {
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || !texts.every((text) => typeof text === "string")) {
    throw new TypeError("A sentiment pipeline takes a text or an array of texts");
  }
  return texts;
}

function callablePipeline(
  analyze: (texts: string[]) => Promise<SentimentAnswer[]>,
  model: () => string,
  backend: () => SentimentBackend,
): SentimentPipeline {
  const run = async (input: unknown): Promise<SentimentAnswer[]> => analyze(textsOf(input));
  // A function with the pipeline's fields: `pipeline(text)` as in the seed, `pipeline.analyze(texts)` as before.
  return Object.defineProperties(run, {
    model: { get: model, enumerable: true },
    backend: { get: backend, enumerable: true },
    analyze: { value: run, enumerable: true },
  }) as unknown as SentimentPipeline;
}
