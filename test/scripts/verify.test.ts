import { expect, test } from "bun:test";
import { runScript } from "../helpers/run-script.ts";

test("bun run verify passes every check on the demo models", async () => {
  const { exitCode, stdout: output } = await runScript("scripts/verify.ts");
  expect(exitCode).toBe(0);
  expect(output).not.toContain("FAIL");
  expect(output.match(/^PASS/gm)).toHaveLength(8);
  expect(output).toContain("All checks passed");
}, 60_000);
