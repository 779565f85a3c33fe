/**
 * The requirement gates as a run sees them: a small test file that needs the shared fixtures and
 * a Debian tool runs in its own `bun test` with neither there (an empty PATH, a SHARED_DIR that
 * does not exist). Locally its gated tests skip with ONE summary line; with the REQUIRE variables
 * they fail, naming what is missing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

async function run(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const proc = Bun.spawn([process.execPath, "test", "--preload", join(REPO_ROOT, "test/setup/skip-summary.ts"), "./gated.test.ts"], {
    cwd: dir,
    env: { PATH: "", HOME: process.env.HOME ?? "/tmp", SHARED_DIR: join(dir, "no-shared"), ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, output: stdout + stderr };
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
    expect(output).toMatch(/^ 1 pass$/m);
    expect(output).toMatch(/^ 6 skip$/m);
    expect(output).not.toContain("ran without");
  });
});

describe("a missing requirement that a REQUIRE variable makes mandatory", () => {
  test("MODEL_CACHE_REQUIRE_TOOLS=1: the tool's test fails naming the tool; the fixtures still skip", async () => {
    const { code, output } = await run({ MODEL_CACHE_REQUIRE_TOOLS: "1" });
    expect(code).toBe(1);
    expect(output).toContain("wrk (not on PATH; apt-get install wrk) is missing, and MODEL_CACHE_REQUIRE_TOOLS=1 requires it");
    expect(output).toMatch(/^ 1 fail$/m);
    expect(output).toContain("Skipped 5 tests");
    expect(output).toContain("1 test could not run because what they need is missing, and MODEL_CACHE_REQUIRE_TOOLS=1 makes that a failure: 1 need wrk");
  });

  test("MODEL_CACHE_REQUIRE_FIXTURES=1: every gated test, and the gated block, fails naming the fixtures", async () => {
    const { code, output } = await run({ MODEL_CACHE_REQUIRE_FIXTURES: "1" });
    expect(code).toBe(1);
    expect(output).toContain("is missing, and MODEL_CACHE_REQUIRE_FIXTURES=1 requires it");
    // reads a fixture, reads fixture 1 and 2, and one for the block; the block's own tests skip.
    expect(output).toMatch(/^ 4 fail$/m);
    expect(output).toContain("(fail) a block over fixtures: needs ../shared/fixtures");
    expect(output).not.toContain("ran without");
    expect(output).not.toContain("hook ran");
  });
});
