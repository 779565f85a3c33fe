/**
 * The requirement gates as a run sees them: a small test file that needs the shared fixtures and
 * a Debian tool runs in its own test run (`bun test`, or `deno test` through the bun:test shim)
 * with neither there (an empty PATH, a SHARED_DIR that does not exist). Locally its gated tests
 * skip with ONE summary line; with the REQUIRE variables they fail, naming what is missing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtime } from "#runtime";
import { REPO_ROOT } from "./paths.ts";

const GATED_FILE = `
import { expect, test } from "bun:test";
import { sharedFixtures } from "${join(REPO_ROOT, "test/helpers/require-fixtures.ts")}";
import { requireTool } from "${join(REPO_ROOT, "test/helpers/require-tool.ts")}";

const wrk = requireTool("wrk");
test("needs nothing", () => expect(1 + 1).toBe(2));
sharedFixtures.test("reads a fixture", () => { throw new Error("ran without its fixtures"); });
sharedFixtures.test.each([[1], [2]])("reads fixture %d", () => { throw new Error("ran without its fixtures"); });
sharedFixtures.describe("a block over fixtures", () => {
  sharedFixtures.beforeAll(() => { throw new Error("hook ran without its fixtures"); });
  sharedFixtures.test("one", () => { throw new Error("ran"); });
  sharedFixtures.test("two", () => { throw new Error("ran"); });
});
wrk.test("drives wrk", () => { throw new Error("ran without wrk: " + wrk.path); });
`;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "model-cache-requirement-"));
  await writeFile(join(dir, "gated.test.ts"), GATED_FILE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The test run of the gated file, on the runtime running this test. */
function testCommand(): string[] {
  if (runtime.name === "deno") return [process.execPath, "test", "--no-check", "--allow-all", "--config", join(REPO_ROOT, "deno.json"), "./gated.test.ts"];
  return [process.execPath, "test", "--preload", join(REPO_ROOT, "test/setup/skip-summary.ts"), "./gated.test.ts"];
}

/** Passed, skipped and failed tests as the runner's totals say (bun's lines, or deno's summary). */
function totals(output: string): { pass: number; skip: number; fail: number } {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const deno = /(\d+) passed \| (\d+) failed \| (\d+) ignored/.exec(plain);
  if (deno) return { pass: Number(deno[1]), fail: Number(deno[2]), skip: Number(deno[3]) };
  const count = (word: string) => Number(new RegExp(`^ (\\d+) ${word}$`, "m").exec(plain)?.[1] ?? 0);
  return { pass: count("pass"), skip: count("skip"), fail: count("fail") };
}

async function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = testCommand() as [string, ...string[]];
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: "", HOME: process.env.HOME ?? "/tmp", DENO_NO_UPDATE_CHECK: "1", SHARED_DIR: join(dir, "no-shared"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, output };
}

describe("a missing requirement, locally", () => {
  test("skips its tests (hooks included) and says so on one line, with the counts and the reasons", async () => {
    const { code, output } = await run({});
    expect(code).toBe(0);
    const lines = output.split("\n").filter((line) => line.includes("because what they need is missing"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith("Skipped 6 tests because what they need is missing: 5 need ../shared/fixtures (not found:");
    expect(lines[0]).toContain("1 need wrk (not on PATH; apt-get install wrk)");
    expect(lines[0]).toContain("Set MODEL_CACHE_REQUIRE_FIXTURES=1 / MODEL_CACHE_REQUIRE_TOOLS=1 to make this a failure.");
    expect(totals(output)).toEqual({ pass: 1, skip: 6, fail: 0 });
    expect(output).not.toContain("ran without");
  });
});

describe("a missing requirement that a REQUIRE variable makes mandatory", () => {
  test("MODEL_CACHE_REQUIRE_TOOLS=1: the tool's test fails naming the tool; the fixtures still skip", async () => {
    const { code, output } = await run({ MODEL_CACHE_REQUIRE_TOOLS: "1" });
    expect(code).toBe(1);
    expect(output).toContain("wrk (not on PATH; apt-get install wrk) is missing, and MODEL_CACHE_REQUIRE_TOOLS=1 requires it");
    expect(totals(output)).toMatchObject({ pass: 1, fail: 1 });
    expect(output).toContain("Skipped 5 tests");
    expect(output).toContain("1 test could not run because what they need is missing, and MODEL_CACHE_REQUIRE_TOOLS=1 makes that a failure: 1 need wrk");
  });

  test("MODEL_CACHE_REQUIRE_FIXTURES=1: every gated test, and the gated block, fails naming the fixtures", async () => {
    const { code, output } = await run({ MODEL_CACHE_REQUIRE_FIXTURES: "1" });
    expect(code).toBe(1);
    expect(output).toContain("is missing, and MODEL_CACHE_REQUIRE_FIXTURES=1 requires it");
    // Failed: reads a fixture, reads fixture 1 and 2, and one for the block. Skipped: the
    // block's own two tests, and wrk's (MODEL_CACHE_REQUIRE_TOOLS is not set).
    expect(totals(output)).toEqual({ pass: 1, skip: 3, fail: 4 });
    expect(output).toContain("a block over fixtures: needs ../shared/fixtures");
    expect(output).not.toContain("ran without");
    expect(output).not.toContain("hook ran");
  });
});
