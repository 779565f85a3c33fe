/**
 * What the model cache tells whoever watches it (the metrics and the statistics): every lookup
 * with whether it found the model loaded, and every load attempt. It is called at the same
 * places the registry's `hits`, `misses`, `load_count` and `failure_count` change, so both
 * always agree.
 */

/** Listens to the cache. */
export interface CacheObserver {
  /**
   * A request looked `model` up: `hit` when a loaded instance was there. `waitNs` is the time
   * until it could be served or refused (a first-use load); 0 for a hit.
   */
  lookup(model: string, version: string, hit: boolean, waitNs: number): void;
  /** A load attempt finished: loaded in `seconds`, or failed (retries count each attempt). */
  loadFinished(model: string, version: string, ok: boolean, seconds: number): void;
}

/** Listens to nothing. */
export const silentCacheObserver: CacheObserver = {
  lookup: () => undefined,
  loadFinished: () => undefined,
};

/** A model's recent latency and request rate, as the registry shows it (measured outside the cache). */
export interface RegistryLatency {
  /** Length of the sliding window, seconds. */
  window_seconds: number;
  /** Successful requests in the window the percentiles come from. */
  samples: number;
  /** Milliseconds; null without samples. */
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** Requests (any outcome) finished per second, averaged over the window. */
  requests_per_second: number;
}

/** Where the registry reads each model's latency from. */
export type LatencyReader = (model: string, version: string) => RegistryLatency;
