import type { ModelCache } from "../cache/model-cache.ts";
import { modelNameOf, type ModelInstance } from "../cache/model-types.ts";
import { UnavailableError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { LEXICON_MODEL } from "../discovery/discover-models.ts";
import { isSentimentLabelSet, toSentimentLabel } from "./sentiment-labels.ts";
import type { SentimentLabel } from "./sentiment-result.ts";
import { silentInferenceObserver, type InferenceObserver } from "../metrics/inference-observer.ts";
import { RequestTimer } from "../metrics/request-timer.ts";
import { withExecutionTicket } from "../batching/execution-ticket.ts";

/** Which backend answered. */
export type SentimentBackend = "transformer" | "lexicon";

/** One text's answer. */
export interface SentimentAnswer {
  label: SentimentLabel;
  score: number;
  backend: SentimentBackend;
  /** Name of the model that answered. */
  model: string;
  /** Its version. */
  version: string;
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
    /** The record of a model's default version (the router's); default: the record of that name. */
    private readonly defaultRecord: (name: string) => string | undefined = (name) => name,
  ) {}

  /**
   * The record of the transformer that answers now: the preferred model's default version when
   * it is loaded or still to be loaded on first use (`skipped`, `evicted`), else the first loaded default
   * version of a transformer whose labels are sentiment.
   */
  transformerName(): string | undefined {
    // Runs on every sentiment request: reads specs and live instances, never builds registry entries.
    const preferred = this.preferred === undefined ? undefined : this.defaultRecord(this.preferred);
    if (preferred !== undefined && this.cache.spec(preferred)?.modelType === "transformer") {
      const status = this.cache.status(preferred);
      if (status === "loaded" || status === "skipped" || status === "evicted") return preferred;
    }
    return this.cache
      .namesServedBy((model) => isSentimentLabelSet(((model as ModelInstance).details?.labels as string[] | undefined) ?? []))
      .find((id) => {
        const spec = this.cache.spec(id);
        return spec?.modelType === "transformer" && this.cache.status(id) === "loaded" && this.defaultRecord(spec.group ?? id) === id;
      });
  }

  /**
   * Labels every text with `transformer` (default: the one that answers now), or with the lexicon
   * when there is none or it fails; the whole batch is answered by one backend. A blank text has no evidence
   * either way: it is NEUTRAL at 0.5 without asking a model (a two-class model would otherwise
   * answer its first label).
   */
  async analyze(
    texts: string[],
    transformer: string | undefined = this.transformerName(),
    /** Called when the transformer failed and the lexicon answered instead. */
    onFallback?: (error: unknown) => void,
  ): Promise<SentimentAnswer[]> {
    const filled = texts.filter((text) => text.trim() !== "");
    const answers = filled.length === 0 ? [] : await this.analyzeFilled(filled, transformer, onFallback);
    const backend = answers[0]?.backend ?? (transformer === undefined ? "lexicon" : "transformer");
    const { model, version } = answers[0] ?? this.answeredBy(transformer ?? LEXICON_MODEL);
    let next = 0;
    return texts.map((text) => (text.trim() === "" ? { label: "NEUTRAL", score: 0.5, backend, model, version } : answers[next++]!));
  }

  /** Labels texts with one transformer record, with no fallback: its failure is thrown (shadow copies). */
  classify(transformer: string, texts: string[]): Promise<SentimentAnswer[]> {
    return this.classifyWith(transformer, this.backendOf(transformer), texts);
  }

  private async analyzeFilled(texts: string[], transformer: string | undefined, onFallback?: (error: unknown) => void): Promise<SentimentAnswer[]> {
    if (transformer !== undefined) {
      try {
        return await this.classifyWith(transformer, this.backendOf(transformer), texts);
      } catch (error) {
        onFallback?.(error);
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
    // Reported under the model's name and the version that answers (`iris`, `2`), not the record id.
    const { model, version } = this.answeredBy(name);
    const timer = this.cache.spec(name) === undefined ? undefined : new RequestTimer(this.observer, model, version);
    try {
      timer?.stage("queue");
      const lease = await this.cache.acquire<ModelInstance>(name);
      try {
        if (lease.model.classify === undefined) throw new Error(`model "${name}" does not classify text`);
        timer?.stage("infer");
        const instance = lease.model;
        const { result: results, ticket } = await withExecutionTicket(() => instance.classify!(texts));
        timer?.stage("output");
        const answers = results.map(({ label, score }) => ({ label: toSentimentLabel(label) ?? "NEUTRAL", score, backend, model, version }));
        timer?.succeed(texts.length, ticket.shared);
        return answers;
      } finally {
        lease.release();
      }
    } catch (error) {
      timer?.fail(error);
      throw error;
    }
  }

  /** A routed variant may be the lexicon itself. */
  private backendOf(id: string): SentimentBackend {
    return this.cache.spec(id)?.modelType === "lexicon" ? "lexicon" : "transformer";
  }

  /** The model name and version of a record, as answers report them. */
  private answeredBy(id: string): { model: string; version: string } {
    const spec = this.cache.spec(id);
    return { model: spec === undefined ? id : modelNameOf(spec), version: spec?.version ?? "" };
  }
}
