/**
 * Test preload: after the last test file, prints the one line that says how many tests could not
 * run because the shared fixtures or a Debian tool are missing, and why (see
 * test/helpers/requirement.ts). Nothing is printed when every requirement was met.
 *
 * Under Bun it is an `afterAll` of the whole run. Under Deno the bun:test shim imports this file
 * while it loads itself, so importing bun:test here would wait on itself: the line is printed when
 * the process unloads instead.
 */
import { runtime } from "#runtime";
import { skipSummary } from "../helpers/skip-ledger.ts";

function printSummary(): void {
  const line = skipSummary();
  // The test runner reports on stderr: the line goes there too, just above the totals.
  if (line !== undefined) process.stderr.write(`\n${line}\n`);
}

if (runtime.name === "deno") globalThis.addEventListener("unload", printSummary);
else (await import("bun:test")).afterAll(printSummary);
