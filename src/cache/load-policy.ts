import { runtime } from "#runtime";
import type { Logger } from "../logging/logger.ts";
import { TimeoutError, withTimeout } from "../util/with-timeout.ts";
import type { Limiter } from "../util/limiter.ts";
import type { ModelBackend, ModelInstance, ModelSpec } from "./model-types.ts";

/** How loads are run: how many at once, how long each may take, how often to retry. */
export interface LoadPolicy {
  limiter: Limiter;
  timeoutMs: number;
  retries: number;
  /** Pause before retry n (1-based), in ms. */
  retryDelayMs?: (attempt: number) => number;
}

/** How many times one load is started again because its worker went away under it. */
const MAX_HOST_LOSSES = 3;

/** Called for each failed attempt that will be retried. */
export type OnRetry = (error: unknown) => void;

/** A finished load. */
export interface LoadedModel {
  model: ModelInstance;
  /** Seconds, measured around the successful attempt only. */
  durationSeconds: number;
}

/**
 * Loads one model under the policy: each attempt waits for a free slot (the pause before a retry
 * holds none) and gets the time limit; failures are retried (except time-outs of a model that
 * hangs, and errors marked `noRetry`); an instance that arrives after its deadline is disposed.
 */
export async function loadUnderPolicy(
  backend: ModelBackend,
  spec: ModelSpec,
  policy: LoadPolicy,
  log: Logger,
  onRetry?: OnRetry,
): Promise<LoadedModel> {
  let hostLosses = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await policy.limiter.run(async () => {
        const started = performance.now();
        const model = await withTimeout(backend.load(spec), policy.timeoutMs, `Loading "${spec.name}"`, (late) => {
          void late.dispose().catch(() => undefined);
        });
        return { model, durationSeconds: (performance.now() - started) / 1000 };
      });
    } catch (error) {
      // A load cut off because its worker went away (a crash, a recycle) is tried again at once,
      // on a new worker, whatever LOAD_RETRIES says — a few times, for recycles in a row.
      if ((error as { transient?: boolean }).transient === true && hostLosses < MAX_HOST_LOSSES) {
        hostLosses++;
        attempt--;
        continue;
      }
      const retriable = !(error instanceof TimeoutError) && !(error as { noRetry?: boolean }).noRetry;
      if (!retriable || attempt >= policy.retries) throw error;
      onRetry?.(error);
      const delay = policy.retryDelayMs?.(attempt + 1) ?? 250 * (attempt + 1);
      log.warn(`Retrying load of model "${spec.name}" (attempt ${attempt + 2} of ${policy.retries + 1})`, {
        model: spec.name,
        error: error instanceof Error ? error.message : String(error),
      });
      await runtime.sleep(delay);
    }
  }
}
