/** A change seen but not yet settled. */
export interface PendingChange {
  /** Top-level entry of the models folder. */
  path: string;
  /** What it is to the registry: new, different, or gone. */
  kind: "added" | "changed" | "removed";
  /** Its fingerprint when last seen; `undefined` while it is gone. */
  fingerprint: string | undefined;
  /** When this fingerprint was first seen (ms, the caller's clock). */
  since: number;
}

/**
 * Decides when a change in the models folder has settled. Each entry has the fingerprint last
 * acted upon; a different one seen by a scan starts a wait, restarted whenever the fingerprint
 * changes again, and settles once it has stayed the same for `settleMs` across scans. A file
 * being copied keeps changing size and time, so it never settles half-written (unless its writer
 * pauses longer than `settleMs`: write-then-rename avoids even that). A removal settles the same
 * way, so a file deleted and written again is one change, not an unload and a load.
 * Pure: the caller passes the time, and acts upon what {@link observe} returns.
 *
 * @example
 * const tracker = new SettleTracker(1000, baseline.entries);
 * tracker.observe(snapshot.entries, 0);    // new Map(): "big.onnx" starts waiting
 * tracker.observe(snapshot.entries, 1000); // Map { "big.onnx" => { kind: "added", … } }: settled
 */
export class SettleTracker {
  private readonly applied: Map<string, string>;
  private readonly waiting = new Map<string, PendingChange>();

  constructor(
    private readonly settleMs: number,
    baseline: ReadonlyMap<string, string>,
  ) {
    this.applied = new Map(baseline);
  }

  /**
   * Takes one scan's fingerprints, seen at `at`; returns the changes that settled. They count as
   * acted upon from now on.
   */
  observe(entries: ReadonlyMap<string, string>, at: number): Map<string, PendingChange> {
    const settled = new Map<string, PendingChange>();
    for (const path of new Set([...this.applied.keys(), ...entries.keys(), ...this.waiting.keys()])) {
      const current = entries.get(path);
      if (current === this.applied.get(path)) {
        this.waiting.delete(path);
        continue;
      }
      const pending = this.waiting.get(path);
      if (pending === undefined || pending.fingerprint !== current) {
        const kind = current === undefined ? "removed" : this.applied.has(path) ? "changed" : "added";
        this.waiting.set(path, { path, kind, fingerprint: current, since: at });
        continue;
      }
      if (at - pending.since < this.settleMs) continue;
      this.waiting.delete(path);
      if (current === undefined) this.applied.delete(path);
      else this.applied.set(path, current);
      settled.set(path, pending);
    }
    return settled;
  }

  /** Changes still settling, oldest first. */
  pending(): PendingChange[] {
    return [...this.waiting.values()].sort((a, b) => a.since - b.since);
  }

  /** True when `path` has a change that has not settled. */
  isSettling(path: string): boolean {
    return this.waiting.has(path);
  }

  /** When the next change could settle (the caller scans again then), if any waits. */
  nextCheckAt(): number | undefined {
    const first = this.pending()[0];
    return first === undefined ? undefined : first.since + this.settleMs;
  }

  /** Forgets what was acted upon for `paths`, so the next scan sees them as changed (a failed apply). */
  forget(paths: Iterable<string>): void {
    // A value no fingerprint has: even a removal shows as a change again.
    for (const path of paths) this.applied.set(path, "\0forgotten");
  }
}
