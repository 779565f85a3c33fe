import type { ModelCache } from "../cache/model-cache.ts";
import { LEXICON_MODEL } from "../discovery/discover-models.ts";
import type { Logger } from "../logging/logger.ts";
import type { SentimentService } from "../sentiment/sentiment-service.ts";
import { PromiseMemo } from "../util/memoize-promise.ts";
import { currentPipeline, transformerPipeline, type SentimentPipeline } from "./sentiment-pipeline.ts";

/**
 * Loads on first use (the seed's `LazyModelLoader`). Concurrent first uses of one name share
 * one load; a failed load is forgotten so that the next use tries again.
 *
 * @example
 * const pipeline = await getLazyLoader().getOrCreateSentimentPipeline();
 * const [answer] = await pipeline("Great value");
 */
export class LazyModelLoader {
  private readonly local = new PromiseMemo<string, unknown>();
  private readonly created = new Set<string>();

  constructor(
    private readonly cache: ModelCache,
    private readonly sentiment: SentimentService,
    private readonly log: Logger,
  ) {}

  /**
   * The transformer sentiment pipeline, loaded now if it was not preloaded; the lexicon when no
   * transformer can load.
   */
  getOrCreateSentimentPipeline(): Promise<SentimentPipeline> {
    return this.local.get("sentiment-pipeline", async () => {
      const name = this.sentiment.transformerName() ?? this.firstTransformer();
      if (name !== undefined) {
        const loaded = await this.cache.ensureLoaded(name).catch(() => undefined);
        if (loaded?.status === "loaded") return transformerPipeline(this.sentiment, name);
        this.log.warn(`Transformer "${name}" could not load; answering with the lexicon until a transformer loads`, {
          error: loaded?.error,
        });
      }
      const lexicon = await this.cache.ensureLoaded(LEXICON_MODEL).catch(() => undefined);
      if (lexicon?.status !== "loaded") throw new Error("Neither a transformer nor the lexicon could load");
      return currentPipeline(this.sentiment);
    }) as Promise<SentimentPipeline>;
  }

  /**
   * The model `name` from the cache if it is loaded; otherwise `factory()` makes it once and it
   * is registered in the cache (type `custom`, with its load time).
   */
  getOrCreateModel<T>(name: string, factory: () => T | Promise<T>, options: { version?: string } = {}): Promise<T> {
    // What the cache holds now, never an instance remembered from before a reload.
    const cached = this.cache.getModel<T>(name);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.local.get(name, async () => {
      const started = performance.now();
      const model = await factory();
      this.cache.setModel(name, model, {
        modelType: this.cache.spec(name)?.modelType ?? "custom",
        ...(options.version !== undefined && { version: options.version }),
        loadDuration: (performance.now() - started) / 1000,
      });
      this.created.add(name);
      return model;
    }) as Promise<T>;
  }

  /**
   * Forgets what this loader handed out; models it created through a factory are unloaded from
   * the cache (released once their requests finish). Preloaded models stay loaded.
   */
  async clearLocalCache(): Promise<void> {
    this.local.clear();
    const created = [...this.created];
    this.created.clear();
    await Promise.all(created.map((name) => this.cache.unloadModel(name).catch(() => undefined)));
  }

  private firstTransformer(): string | undefined {
    return this.cache.modelNames.find((name) => this.cache.spec(name)?.modelType === "transformer");
  }
}
