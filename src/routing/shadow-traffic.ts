import type { Logger } from "../logging/logger.ts";
import type { Target, TrafficEvent } from "./route.ts";
import type { TrafficCounter } from "./traffic-stats.ts";

/**
 * Sends shadow copies of requests, fire and forget: a copy starts after the request it copies
 * has been answered (on a later turn of the event loop, so it never delays that answer), its
 * result is thrown away, and its failure is counted and logged at debug level, never rethrown.
 * At most `maxInFlight` copies run at once; more are dropped and counted, so a slow shadow
 * cannot pile up work or memory.
 *
 * @example
 * shadows.send(target, counter, () => infer(target));
 */
export class ShadowTraffic {
  private running = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly maxInFlight: number,
    private readonly log: Logger,
    private readonly observe: ((event: TrafficEvent) => void) | undefined,
  ) {}

  /** Copies in flight. */
  get inFlight(): number {
    return this.running;
  }

  /** Starts one copy, unless the limit is reached. Never throws. */
  send(target: Target, counter: TrafficCounter, job: () => Promise<unknown>): void {
    if (this.running >= this.maxInFlight) {
      counter.dropped();
      this.observe?.({ target, kind: "shadow", outcome: "dropped", ms: 0 });
      return;
    }
    this.running++;
    const copy = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(async () => {
        const started = performance.now();
        let ok = true;
        try {
          await job();
        } catch (error) {
          ok = false;
          this.log.debug(`Shadow request to "${target.id}" failed`, { error: error instanceof Error ? error.message : String(error) });
        }
        const ms = performance.now() - started;
        counter.shadowed(ms, ok);
        this.observe?.({ target, kind: "shadow", outcome: ok ? "ok" : "error", ms });
      })
      // A throwing metrics hook must not become an unhandled rejection.
      .catch(() => undefined)
      .finally(() => {
        this.running--;
        this.pending.delete(copy);
      });
    this.pending.add(copy);
  }

  /** Settles when every copy sent so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
