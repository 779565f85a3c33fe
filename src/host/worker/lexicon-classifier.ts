import { LexiconSentimentAnalyzer } from "../../sentiment/lexicon-analyzer.ts";
import type { Classification, LoadedInfo } from "../host-protocol.ts";
import { TEXT_CLASSIFIER_SIGNATURE } from "../text-classifier-signature.ts";
import type { WorkerModel } from "./worker-model.ts";

/** The wink-nlp lexicon analyser, hosted off the HTTP thread (its start takes ~0.15 s of CPU). */
export class LexiconClassifier implements WorkerModel {
  readonly info: LoadedInfo = {
    signature: TEXT_CLASSIFIER_SIGNATURE,
    details: { analyzer: "wink-nlp + wink-eng-lite-web-model", labels: ["NEGATIVE", "NEUTRAL", "POSITIVE"] },
  };

  private constructor(private readonly analyzer: LexiconSentimentAnalyzer) {}

  static async create(): Promise<LexiconClassifier> {
    return new LexiconClassifier(await LexiconSentimentAnalyzer.create());
  }

  async classify(texts: string[]): Promise<Classification[]> {
    return this.analyzer.analyzeBatch(texts).map(({ label, score }) => ({ label, score }));
  }

  async dispose(): Promise<void> {
    this.analyzer.dispose();
  }
}
