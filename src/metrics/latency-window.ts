import type { RegistryLatency } from "../cache/cache-observer.ts";

/**
 * A model's recent latency: percentiles of its successful requests over a sliding time window,
 * and its request rate (every request, failed ones too) over the same window.
 */

/** Latency and rate over the last `window_seconds`, as the registry shows them. */
export type LatencySummary = RegistryLatency;

/** How the window is sized. */
export interface LatencyWindowOptions {
  /** Length of the window in seconds (default 60). */
  windowSeconds?: number;
  /** Most recent samples kept for the percentiles (default 2048): memory stays bounded under any load. */
  maxSamples?: number;
  /** Milliseconds clock (tests may drive it). */
  now?: () => number;
}

/**
 * Keeps the last successful durations (a ring of `maxSamples`) and one request counter per second
 * of the window. Percentiles use the nearest-rank method over the samples still in the window.
 *
 * @example
 * const window = new LatencyWindow();
 * window.record(12.5, true);
 * window.summary().p50_ms; // 12.5
 */
export class LatencyWindow {
  private readonly windowMs: number;
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  private next = 0;
  private size = 0;
  /** Requests per second-slot; `slotSecond` says which second each slot holds. */
  private readonly counts: Uint32Array;
  private readonly slotSecond: Float64Array;
  private readonly now: () => number;

  constructor(options: LatencyWindowOptions = {}) {
    const seconds = options.windowSeconds ?? 60;
    this.windowMs = seconds * 1000;
    const capacity = options.maxSamples ?? 2048;
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.counts = new Uint32Array(seconds);
    this.slotSecond = new Float64Array(seconds).fill(-1);
    this.now = options.now ?? Date.now;
  }

  /** One finished request: its duration in ms, and whether it succeeded (only successes are percentile samples). */
  record(durationMs: number, success: boolean): void {
    const now = this.now();
    const second = Math.floor(now / 1000);
    const slot = second % this.counts.length;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]!++;
    if (!success) return;
    this.at[this.next] = now;
    this.ms[this.next] = durationMs;
    this.next = (this.next + 1) % this.at.length;
    this.size = Math.min(this.size + 1, this.at.length);
  }

  /** Percentiles and rate as of now. */
  summary(): LatencySummary {
    const now = this.now();
    const since = now - this.windowMs;
    const durations: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.at[i]! > since) durations.push(this.ms[i]!);
    durations.sort((a, b) => a - b);
    const oldestSecond = Math.floor(now / 1000) - this.counts.length + 1;
    let requests = 0;
    for (let slot = 0; slot < this.counts.length; slot++) if (this.slotSecond[slot]! >= oldestSecond) requests += this.counts[slot]!;
    const seconds = this.counts.length;
    return {
      window_seconds: seconds,
      samples: durations.length,
      p50_ms: percentile(durations, 50),
      p95_ms: percentile(durations, 95),
      p99_ms: percentile(durations, 99),
      requests_per_second: round(requests / seconds, 4),
    };
  }
}

/** Nearest-rank percentile of sorted values, rounded to µs; null for none. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!, 3);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
