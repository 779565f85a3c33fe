import type { CacheObserver } from "../cache/cache-observer.ts";

/** Length of the window the rate is measured over; short, so that copies follow traffic within seconds. */
export const RATE_WINDOW_MS = 10_000;
const BUCKET_MS = 1000;
const BUCKETS = RATE_WINDOW_MS / BUCKET_MS;

/**
 * Counts the requests each model serves on this replica, in one-second buckets over the last
 * {@link RATE_WINDOW_MS}, and reports them as requests a minute (the unit of ModelMesh's
 * scale-up threshold). It listens to the cache's lookups, so a request forwarded elsewhere counts
 * where it is served, not where it arrived.
 *
 * @example
 * const rate = new RequestRate();
 * const cache = new ModelCache({ …, observer: rate.observing(telemetry.cacheObserver) });
 * rate.perMinute("iris"); // 0 until iris is asked for
 */
export class RequestRate {
  private readonly counts = new Map<string, { buckets: number[]; stamps: number[] }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Counts one request for `model`. */
  hit(model: string): void {
    const slot = Math.floor(this.now() / BUCKET_MS);
    let entry = this.counts.get(model);
    if (entry === undefined) {
      entry = { buckets: new Array<number>(BUCKETS).fill(0), stamps: new Array<number>(BUCKETS).fill(-1) };
      this.counts.set(model, entry);
    }
    const index = slot % BUCKETS;
    if (entry.stamps[index] !== slot) {
      entry.stamps[index] = slot;
      entry.buckets[index] = 0;
    }
    entry.buckets[index]!++;
  }

  /** Requests a minute `model` served here, estimated from the last {@link RATE_WINDOW_MS}. */
  perMinute(model: string): number {
    const entry = this.counts.get(model);
    if (entry === undefined) return 0;
    const slot = Math.floor(this.now() / BUCKET_MS);
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) if (entry.stamps[i]! > slot - BUCKETS) total += entry.buckets[i]!;
    return Math.round((total * 60_000) / RATE_WINDOW_MS);
  }

  /** Requests a minute over every model. */
  total(): number {
    let sum = 0;
    for (const model of this.counts.keys()) sum += this.perMinute(model);
    return sum;
  }

  /** A cache observer that counts lookups here and passes every event on to `next`. */
  observing(next: CacheObserver): CacheObserver {
    return {
      lookup: (model, version, hit, waitNs) => {
        this.hit(model);
        next.lookup(model, version, hit, waitNs);
      },
      loadFinished: (model, version, ok, seconds) => next.loadFinished(model, version, ok, seconds),
    };
  }
}
