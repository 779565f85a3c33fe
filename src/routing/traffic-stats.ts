import { AppError } from "../errors/app-error.ts";

/** Latency of the last requests, in milliseconds. */
export interface LatencySummary {
  /** Requests timed since start. */
  count: number;
  /** Over the last {@link LATENCY_WINDOW} requests. */
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One version's traffic, as the registry shows it. */
export interface VersionTraffic {
  /** Requests this version answered or failed (routed, or addressed by version). */
  requests: number;
  /** …that failed on the server's side (5xx), or fell back to another backend. */
  errors: number;
  /** …that the request's own content made fail (4xx). */
  bad_requests: number;
  /** Copies of other requests sent here as shadow traffic. */
  shadow_requests: number;
  /** …that failed (never seen by any client). */
  shadow_failures: number;
  /** Copies not sent because SHADOW_MAX_IN_FLIGHT copies were already running. */
  shadow_dropped: number;
  latency_ms: LatencySummary | null;
  shadow_latency_ms: LatencySummary | null;
}

/** How many recent requests the latency percentiles cover. */
export const LATENCY_WINDOW = 1024;

/** The last {@link LATENCY_WINDOW} durations in a ring, and a count of all. */
class LatencyWindow {
  private readonly samples = new Float64Array(LATENCY_WINDOW);
  private count = 0;

  add(ms: number): void {
    this.samples[this.count % LATENCY_WINDOW] = ms;
    this.count++;
  }

  summary(): LatencySummary | null {
    if (this.count === 0) return null;
    const recent = this.samples.slice(0, Math.min(this.count, LATENCY_WINDOW)).sort();
    const at = (q: number) => round(recent[Math.min(recent.length - 1, Math.ceil(q * recent.length) - 1)]!);
    const sum = recent.reduce((total, ms) => total + ms, 0);
    return { count: this.count, mean: round(sum / recent.length), p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(recent[recent.length - 1]!) };
  }
}

/** The traffic counters of one version (one cache record). */
export class TrafficCounter {
  private requests = 0;
  private errors = 0;
  private badRequests = 0;
  private shadowRequests = 0;
  private shadowFailures = 0;
  private shadowDropped = 0;
  private readonly latency = new LatencyWindow();
  private readonly shadowLatency = new LatencyWindow();

  /** A request answered. */
  served(ms: number): void {
    this.requests++;
    this.latency.add(ms);
  }

  /** A request failed: the client's fault (4xx) or the server's. */
  failed(error: unknown, ms: number): void {
    this.requests++;
    this.latency.add(ms);
    if (isClientError(error)) this.badRequests++;
    else this.errors++;
  }

  /** A request answered by a fallback after this version failed it (sentiment's lexicon). */
  fellBack(): void {
    this.errors++;
  }

  /** A shadow copy finished, well or not. */
  shadowed(ms: number, ok: boolean): void {
    this.shadowRequests++;
    if (!ok) this.shadowFailures++;
    this.shadowLatency.add(ms);
  }

  /** A shadow copy was not sent (too many in flight). */
  dropped(): void {
    this.shadowDropped++;
  }

  toJSON(): VersionTraffic {
    return {
      requests: this.requests,
      errors: this.errors,
      bad_requests: this.badRequests,
      shadow_requests: this.shadowRequests,
      shadow_failures: this.shadowFailures,
      shadow_dropped: this.shadowDropped,
      latency_ms: this.latency.summary(),
      shadow_latency_ms: this.shadowLatency.summary(),
    };
  }
}

/** Counters by record id; a record's counters outlive its reloads. */
export class TrafficStats {
  private readonly byId = new Map<string, TrafficCounter>();

  /** The counters of one record, made on first use. */
  of(id: string): TrafficCounter {
    let counter = this.byId.get(id);
    if (counter === undefined) this.byId.set(id, (counter = new TrafficCounter()));
    return counter;
  }

  /** The counters of one record as JSON (zeros when it had no traffic). */
  describe(id: string): VersionTraffic {
    return (this.byId.get(id) ?? new TrafficCounter()).toJSON();
  }
}

/** A failure caused by the request's content (4xx), as opposed to the server's (5xx, or an unexpected error). */
export function isClientError(error: unknown): boolean {
  return error instanceof AppError && error.status < 500;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
