import { expect, test } from "bun:test";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths.ts";

test("bun run verify passes every check on the demo models", async () => {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/verify.ts")], { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
  const output = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(output).not.toContain("FAIL");
  expect(output.match(/^PASS/gm)).toHaveLength(8);
  expect(output).toContain("All checks passed");
}, 60_000);
