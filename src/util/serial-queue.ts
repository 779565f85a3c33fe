/**
 * Runs async jobs one at a time, in order. onnxruntime-web's WASM backend is not re-entrant: two
 * `run` calls on one runtime must not interleave, and a host has one runtime, so every call into
 * it goes through one queue. A failed job does not stop the ones behind it.
 *
 * @example
 * const queue = new SerialQueue();
 * const output = await queue.run(() => session.run(feeds));
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
