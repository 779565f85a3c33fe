import type { SentimentAnswer, SentimentBackend } from "../sentiment/sentiment-service.ts";

/** A ready sentiment analyser as the loaders hand it out. */
export interface SentimentPipeline {
  /** Registry name of the model behind it. */
  readonly model: string;
  readonly backend: SentimentBackend;
  /** Labels texts with this pipeline's model. */
  analyze(texts: string[]): Promise<SentimentAnswer[]>;
}
