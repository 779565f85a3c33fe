/**
 * Keeps requests away from a model while the fuzzer has unloaded it on purpose. An unloaded
 * model answers 503 by design; the fuzz looks for 5xx that are not by design, so requests that
 * name a model wait while it is closed, and closing waits for the ones in flight.
 */

/**
 * A per-model readers–writer gate.
 *
 * @example
 * await gate.enter(["iris_classifier"]);   // waits while iris_classifier is closed
 * try { await send(); } finally { gate.leave(["iris_classifier"]); }
 * await gate.close("iris_classifier");     // waits for requests in flight; new ones wait
 * gate.open("iris_classifier");
 */
export class ModelGate {
  private readonly inFlight = new Map<string, number>();
  private readonly closed = new Set<string>();
  private waiters: (() => void)[] = [];

  /** Waits until none of `names` is closed, then counts a request on each. */
  async enter(names: readonly string[]): Promise<void> {
    while (names.some((name) => this.closed.has(name))) await this.changed();
    for (const name of names) this.inFlight.set(name, (this.inFlight.get(name) ?? 0) + 1);
  }

  /** The request on `names` finished. */
  leave(names: readonly string[]): void {
    for (const name of names) this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
    this.wake();
  }

  /** Stops new requests on `name` and waits for those in flight. */
  async close(name: string): Promise<void> {
    this.closed.add(name);
    while ((this.inFlight.get(name) ?? 0) > 0) await this.changed();
  }

  /** Lets requests on `name` through again. */
  open(name: string): void {
    this.closed.delete(name);
    this.wake();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
