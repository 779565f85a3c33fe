import { expect, test } from "bun:test";
import { runScript } from "../helpers/run-script.ts";

// `--timings=report`: the seed's time budgets (first use < 2 s, lookups < 100 ms) are printed
// on TIME lines, not checked; the suite asserts behaviour only, and must pass on a busy machine.
test("bun run verify passes every check on the demo models", async () => {
  const { exitCode, stdout: output } = await runScript("scripts/verify.ts", ["--timings=report"]);
  expect(exitCode).toBe(0);
  expect(output).not.toContain("FAIL");
  expect(output.match(/^PASS/gm)).toHaveLength(8);
  expect(output.match(/^TIME/gm)).toHaveLength(3);
  expect(output).toContain("All checks passed");
}, 180_000);
