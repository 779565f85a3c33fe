/**
 * One loaded instance of a model, counted while requests use it. A reload retires the old
 * instance; it is disposed only when its last request has finished, so no request ever sees a
 * half-released session.
 */
export class LiveInstance {
  private leases = 0;
  private retired = false;
  private disposal: Promise<void> | undefined;
  private readonly disposed: Promise<void>;
  private markDisposed!: () => void;
  /** Called each time its last request in flight finishes (the memory budget may evict it then). */
  onIdle: (() => void) | undefined;

  constructor(
    /** The model object (a ModelInstance for built-in types; anything for custom models). */
    readonly model: unknown,
  ) {
    this.disposed = new Promise((resolve) => (this.markDisposed = resolve));
  }

  /** Requests currently using this instance. */
  get inFlight(): number {
    return this.leases;
  }

  /** Counts one more user; call the returned function when done (extra calls are ignored). */
  lease(): () => void {
    this.leases++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leases--;
      if (this.leases > 0) return;
      if (this.retired) void this.dispose();
      else this.onIdle?.();
    };
  }

  /** Takes no new users; resolves once disposed, which is when the last lease is released. */
  retire(): Promise<void> {
    this.retired = true;
    if (this.leases === 0) void this.dispose();
    return this.disposed;
  }

  private dispose(): Promise<void> {
    this.disposal ??= disposeModel(this.model).then(this.markDisposed);
    return this.disposal;
  }
}

async function disposeModel(model: unknown): Promise<void> {
  const dispose = (model as { dispose?: unknown } | null)?.dispose;
  if (typeof dispose !== "function") return;
  try {
    await dispose.call(model);
  } catch {
    // A model that fails to release (its host already gone, say) has nothing left to free.
  }
}
