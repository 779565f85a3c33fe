import type { ModelCache } from "../cache/model-cache.ts";
import type { ModelInstance } from "../cache/model-types.ts";
import { UnavailableError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { LEXICON_MODEL } from "../discovery/discover-models.ts";
import { isSentimentLabelSet, toSentimentLabel } from "./sentiment-labels.ts";
import type { SentimentLabel } from "./sentiment-result.ts";
import { silentInferenceObserver, type InferenceObserver } from "../metrics/inference-observer.ts";
import { RequestTimer } from "../metrics/request-timer.ts";

/** Which backend answered. */
export type SentimentBackend = "transformer" | "lexicon";

/** One text's answer. */
export interface SentimentAnswer {
  label: SentimentLabel;
  score: number;
  backend: SentimentBackend;
  /** Registry name of the model that answered. */
  model: string;
}

/**
 * Answers sentiment with the transformer pipeline when one is loaded, and with the lexicon
 * otherwise — also when the transformer fails on this request (its host crashed, say), so a
 * WASM failure never becomes a failed sentiment request.
 *
 * @example
 * const [answer] = await sentiment.analyze(["Great value"]);
 * answer.backend; // "transformer"
 */
export class SentimentService {
  constructor(
    private readonly cache: ModelCache,
    /** `SENTIMENT_MODEL`: the transformer to use; default the first loaded sentiment classifier. */
    private readonly preferred: string | undefined,
    private readonly log: Logger,
    /** Told of every model request: a fallback shows as a failure of the transformer and a success of the lexicon. */
    private readonly observer: InferenceObserver = silentInferenceObserver,
  ) {}

  /**
   * The transformer that answers now: the preferred one when it is loaded or to be loaded on
   * first use (`skipped`, `evicted`), else the first loaded transformer whose labels are sentiment.
   */
  transformerName(): string | undefined {
    // Runs on every sentiment request: reads specs and live instances, never builds registry entries.
    if (this.preferred !== undefined && this.cache.spec(this.preferred)?.modelType === "transformer") {
      const status = this.cache.status(this.preferred);
      if (status === "loaded" || status === "skipped" || status === "evicted") return this.preferred;
    }
    return this.cache
      .namesServedBy((model) => isSentimentLabelSet(((model as ModelInstance).details?.labels as string[] | undefined) ?? []))
      .find((name) => this.cache.spec(name)?.modelType === "transformer" && this.cache.status(name) === "loaded");
  }

  /**
   * Labels every text with `transformer` (default: the one that answers now), or with the lexicon
   * when there is none or it fails; the whole batch is answered by one backend. A blank text has no evidence
   * either way: it is NEUTRAL at 0.5 without asking a model (a two-class model would otherwise
   * answer its first label).
   */
  async analyze(texts: string[], transformer: string | undefined = this.transformerName()): Promise<SentimentAnswer[]> {
    const filled = texts.filter((text) => text.trim() !== "");
    const answers = filled.length === 0 ? [] : await this.analyzeFilled(filled, transformer);
    const backend = answers[0]?.backend ?? (transformer === undefined ? "lexicon" : "transformer");
    const model = answers[0]?.model ?? transformer ?? LEXICON_MODEL;
    let next = 0;
    return texts.map((text) => (text.trim() === "" ? { label: "NEUTRAL", score: 0.5, backend, model } : answers[next++]!));
  }

  private async analyzeFilled(texts: string[], transformer: string | undefined): Promise<SentimentAnswer[]> {
    if (transformer !== undefined) {
      try {
        return await this.classifyWith(transformer, "transformer", texts);
      } catch (error) {
        this.log.warn(`Sentiment model "${transformer}" failed; answering with the lexicon`, {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    try {
      return await this.classifyWith(LEXICON_MODEL, "lexicon", texts);
    } catch (error) {
      throw new UnavailableError("No sentiment backend can answer right now", "no_backend", { cause: error });
    }
  }

  private async classifyWith(name: string, backend: SentimentBackend, texts: string[]): Promise<SentimentAnswer[]> {
    const spec = this.cache.spec(name);
    const timer = spec === undefined ? undefined : new RequestTimer(this.observer, name, spec.version);
    try {
      timer?.stage("queue");
      const lease = await this.cache.acquire<ModelInstance>(name);
      try {
        if (lease.model.classify === undefined) throw new Error(`model "${name}" does not classify text`);
        timer?.stage("infer");
        const results = await lease.model.classify(texts);
        timer?.stage("output");
        const answers = results.map(({ label, score }) => ({
          label: toSentimentLabel(label) ?? "NEUTRAL",
          score,
          backend,
          model: name,
        }));
        timer?.succeed(texts.length);
        return answers;
      } finally {
        lease.release();
      }
    } catch (error) {
      timer?.fail(error);
      throw error;
    }
  }
}
