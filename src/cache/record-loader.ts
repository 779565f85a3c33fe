import type { Logger } from "../logging/logger.ts";
import { loadUnderPolicy, type LoadPolicy } from "./load-policy.ts";
import type { MemoryBudget } from "./memory-budget.ts";
import type { LoadOutcome, ModelRecord } from "./model-record.ts";
import { modelNameOf, type ModelBackend, type ModelType } from "./model-types.ts";
import type { CacheObserver } from "./cache-observer.ts";

/** What loading a record needs from the cache around it. */
export interface RecordLoaderDeps {
  backends: ReadonlyMap<ModelType, ModelBackend>;
  policy: LoadPolicy;
  log: Logger;
  /** Unix time in seconds. */
  now: () => number;
  /** Told of every attempt, as the registry counts them. */
  observer: CacheObserver;
  /** True once the service shuts down: nothing new is installed. */
  isStopping: () => boolean;
  /** False once the record left the registry (its files were removed): nothing is installed. */
  isRegistered: (record: ModelRecord) => boolean;
  /** Admits each load within the memory budget and evicts idle models to make room. */
  memory?: MemoryBudget;
}

/**
 * Loads models into their registry records, one operation at a time per record: a first load
 * shared by everyone who waits for it, or a reload behind the instance that serves. Each
 * operation answers with its own outcome and the entry as it left it.
 */
export class RecordLoader {
  constructor(private readonly deps: RecordLoaderDeps) {}

  /** Loads a model that has no instance; concurrent callers share one load. */
  load(record: ModelRecord): Promise<LoadOutcome> {
    if (record.pendingLoad !== undefined) return record.pendingLoad;
    const load = record.ops
      .run(async (): Promise<LoadOutcome> => (record.live !== undefined ? { ok: true, entry: record.toJSON() } : this.attempt(record)))
      .finally(() => {
        if (record.pendingLoad === load) record.pendingLoad = undefined;
      });
    record.pendingLoad = load;
    return load;
  }

  /** Loads a new instance behind the current one and swaps it in on success. */
  reload(record: ModelRecord): Promise<LoadOutcome> {
    if (record.live === undefined) return this.load(record);
    return record.ops.run(() => this.attempt(record));
  }

  /** One load of one model; runs inside the record's queue. */
  private async attempt(record: ModelRecord): Promise<LoadOutcome> {
    const { backends, policy, log, now, isStopping, isRegistered, memory, observer } = this.deps;
    const spec = record.spec;
    const backend = backends.get(spec.modelType);
    const serving = record.live !== undefined;
    if (serving) record.reloading = true;
    else record.status = "loading";
    try {
      if (isStopping()) throw new Error("the service is shutting down");
      if (spec.problem !== undefined) throw new Error(spec.problem);
      if (backend === undefined) throw new Error(`no loader for models of type ${spec.modelType}`);
      await memory?.admit(record);
      const { model, durationSeconds } = await loadUnderPolicy(backend, spec, policy, log, (error) => {
        record.noteFailedAttempt(error instanceof Error ? error.message : String(error), now());
        observer.loadFinished(modelNameOf(spec), spec.version, false, 0);
      });
      if (isStopping() || !isRegistered(record)) {
        await model.dispose();
        throw new Error(isStopping() ? "the service is shutting down" : "the model was removed from the models folder");
      }
      const refusal = memory?.refusal(record, model);
      if (refusal !== undefined) {
        await model.dispose();
        throw new Error(refusal);
      }
      const previous = record.install(model, now(), durationSeconds);
      observer.loadFinished(modelNameOf(spec), spec.version, true, durationSeconds);
      log.info(`Loaded model "${spec.name}" (${spec.modelType}) in ${(durationSeconds * 1000).toFixed(1)} ms`, {
        model: spec.name,
        version: spec.version,
      });
      memory?.installed(record);
      if (previous !== undefined) void previous.retire();
      return { ok: true, entry: record.toJSON() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record.fail(message, now());
      observer.loadFinished(modelNameOf(spec), spec.version, false, 0);
      const kept = serving ? "; the previous instance keeps serving" : "";
      log.error(`Failed to load model "${spec.name}" (${spec.modelType})${kept}: ${message}`, { model: spec.name });
      return { ok: false, error: message, entry: record.toJSON() };
    } finally {
      record.reloading = false;
      memory?.finish(record);
    }
  }
}
