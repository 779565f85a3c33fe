/**
 * Counts the tests that could not run because something outside the repository is missing (the
 * shared fixtures, a Debian tool), so that a run ends with ONE line saying how many and why
 * instead of a warning per test. The preload test/setup/skip-summary.ts prints it.
 */

/** One missing requirement and the tests it kept from running. */
interface LedgerEntry {
  /** What is missing and how to provide it, e.g. `wrk (not on PATH; apt-get install wrk)`. */
  what: string;
  /** The variable that turns the skip into a failure. */
  variable: string;
  /** True when that variable is set: the tests failed instead of skipping. */
  enforced: boolean;
  tests: number;
}

// Test files share one process but may load this module more than once: keep the ledger global.
const KEY = Symbol.for("model-cache.test.skip-ledger");
const store = globalThis as unknown as Record<symbol, Map<string, LedgerEntry> | undefined>;
const ledger = (store[KEY] ??= new Map<string, LedgerEntry>());

/**
 * Notes `tests` tests that need `what`, which is missing.
 *
 * @example
 * recordMissing("wrk (not on PATH)", "MODEL_CACHE_REQUIRE_TOOLS", false, 1);
 */
export function recordMissing(what: string, variable: string, enforced: boolean, tests: number): void {
  const entry = ledger.get(what) ?? { what, variable, enforced, tests: 0 };
  entry.tests += tests;
  ledger.set(what, entry);
}

/**
 * The one summary line, or `undefined` when every requirement was met.
 *
 * @example
 * skipSummary(); // "Skipped 61 tests because what they need is missing: 61 need ../shared/fixtures (…). Set MODEL_CACHE_REQUIRE_FIXTURES=1 to make this a failure."
 */
export function skipSummary(): string | undefined {
  const entries = [...ledger.values()].filter((entry) => entry.tests > 0);
  if (entries.length === 0) return undefined;
  const part = (group: LedgerEntry[]) => group.map((entry) => `${entry.tests} need ${entry.what}`).join("; ");
  const count = (group: LedgerEntry[]) => group.reduce((sum, entry) => sum + entry.tests, 0);
  const tests = (n: number) => `${n} ${n === 1 ? "test" : "tests"}`;
  const skipped = entries.filter((entry) => !entry.enforced);
  const failed = entries.filter((entry) => entry.enforced);
  const sentences: string[] = [];
  if (skipped.length > 0) {
    const variables = [...new Set(skipped.map((entry) => `${entry.variable}=1`))].join(" / ");
    sentences.push(`Skipped ${tests(count(skipped))} because what they need is missing: ${part(skipped)}. Set ${variables} to make this a failure.`);
  }
  if (failed.length > 0) {
    const variables = [...new Set(failed.map((entry) => `${entry.variable}=1`))].join(" and ");
    sentences.push(`${tests(count(failed))} could not run because what they need is missing, and ${variables} makes that a failure: ${part(failed)}.`);
  }
  return sentences.join(" ");
}
