/**
 * Test preload: after the last test file, prints the one line that says how many tests could not
 * run because the shared fixtures or a Debian tool are missing, and why (see
 * test/helpers/requirement.ts). Nothing is printed when every requirement was met.
 */
import { afterAll } from "bun:test";
import { skipSummary } from "../helpers/skip-ledger.ts";

afterAll(() => {
  const line = skipSummary();
  // bun test reports on stderr: the line goes there too, just above the totals.
  if (line !== undefined) process.stderr.write(`\n${line}\n`);
});
