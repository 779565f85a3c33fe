/**
 * Waits with explicit limits. Waits on restarts, reloads, recycles and folder changes poll
 * instead of sleeping a fixed time; the limits are sized for a 2-core machine kept busy by other
 * work, so reaching one means something did not happen, not that the machine was slow.
 */
import { SLOW_MACHINE_LIMIT_MS } from "./limits.ts";

/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that.
 * Limits are generous on purpose (a busy 2-core machine); the test states what it waited for,
 * so a time-out says what never happened.
 *
 * @example
 * await waitFor("iris loaded", () => cache.status("iris") === "loaded");
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = SLOW_MACHINE_LIMIT_MS,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves with `promise`'s value, or rejects when it has not settled within `timeoutMs`: for
 * operations that must finish (a stop that must not wait for a hung load), not for speed.
 *
 * @example
 * await settlesWithin("stop with a hung load", cache.stop());
 */
export async function settlesWithin<T>(what: string, promise: Promise<T>, timeoutMs = SLOW_MACHINE_LIMIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} to finish`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
