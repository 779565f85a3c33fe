/** A job ran past its time limit. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * Settles with `job`, or rejects with {@link TimeoutError} after `ms`. The job is not cancelled
 * (a WASM call cannot be); `onLate` receives its value if it arrives after the deadline, so the
 * caller can release what it made.
 *
 * @example
 * const model = await withTimeout(load(), 30_000, "loading iris", (late) => late.dispose());
 */
export function withTimeout<T>(job: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(new TimeoutError(`${what} did not finish within ${ms} ms`));
    }, ms);
    job.then(
      (value) => {
        clearTimeout(timer);
        if (expired) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!expired) reject(error);
      },
    );
  });
}
