/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that.
 * Limits are generous on purpose (a busy 2-core machine); the test states what it waited for,
 * so a time-out says what never happened.
 *
 * @example
 * await waitFor("iris loaded", () => cache.status("iris") === "loaded");
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
