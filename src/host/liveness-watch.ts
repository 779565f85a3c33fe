import { HEARTBEAT_MS } from "./host-protocol.ts";

/**
 * Notices a model host worker that went away without a word. Bun reports a worker's exit; Deno
 * does not (no `close` event when a worker ends through `close()`, `process.exit()` or an outside
 * `terminate()`). Every worker posts a heartbeat each {@link HEARTBEAT_MS}; a worker silent for
 * `silenceMs` while no call that may hold its thread is pending is gone.
 *
 * A worker inside a long synchronous WASM call (creating or running a session, a forecast) sends
 * no heartbeat either and cannot be told from a dead one: while such a call is pending, silence
 * proves nothing and the call's own deadline and probe judge the worker, so a long legitimate
 * call is never cut short.
 */
export class LivenessWatch {
  private lastSeen = performance.now();
  private lastTick = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;

  /**
   * @param silenceMs silence after which an idle worker is declared gone
   * @param busy true while a call that may hold the worker's thread is pending
   * @param onSilent called (repeatedly, until {@link stop}) with the length of the silence
   */
  constructor(
    private readonly silenceMs: number,
    private readonly busy: () => boolean,
    private readonly onSilent: (silentMs: number) => void,
  ) {
    this.timer = setInterval(() => this.tick(), HEARTBEAT_MS);
  }

  /** Any message from the worker proves it alive. */
  heard(): void {
    this.lastSeen = performance.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const stalled = now - this.lastTick > 3 * HEARTBEAT_MS;
    this.lastTick = now;
    // This thread was held up itself: the worker's heartbeats may be queued here, unread.
    if (stalled) this.lastSeen = Math.max(this.lastSeen, now - HEARTBEAT_MS);
    const silence = now - this.lastSeen;
    if (silence > this.silenceMs && !this.busy()) this.onSilent(silence);
  }
}
