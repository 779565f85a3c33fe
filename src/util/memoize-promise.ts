/**
 * One in-flight promise per key: concurrent callers of the same key share one run. A rejected
 * run is forgotten so that the next caller can retry; a fulfilled one is kept until `clear`.
 *
 * @example
 * const loads = new PromiseMemo<string, Model>();
 * const model = await loads.get("iris", () => loadIris()); // two callers, one load
 */
export class PromiseMemo<K, V> {
  private readonly promises = new Map<K, Promise<V>>();

  get(key: K, make: () => Promise<V>): Promise<V> {
    const known = this.promises.get(key);
    if (known !== undefined) return known;
    const promise = make();
    this.promises.set(key, promise);
    promise.catch(() => {
      if (this.promises.get(key) === promise) this.promises.delete(key);
    });
    return promise;
  }

  clear(): void {
    this.promises.clear();
  }
}
