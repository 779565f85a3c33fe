import { expect, test } from "bun:test";
import { runScript } from "../helpers/run-script.ts";

test("bun run bench:budget: a random workload over 5 models with room for 2 has no failed request", async () => {
  const run = await runScript("scripts/bench-budget.ts", ["--sizes", "16,17,18,19,20", "--requests", "150", "--concurrency", "4"]);
  const output = run.stdout;
  expect(run.exitCode, `${output}\n${run.stderr}`).toBe(0);
  expect(output).toContain("budget: MODEL_MEMORY_BUDGET_MB=56;");
  expect(output).toContain("failed requests: 0");
  const hits = /hit rate: ([\d.]+) % \((\d+) of 150 requests/.exec(output);
  expect(hits, output).not.toBeNull();
  // Some requests found their model loaded, and some had to wait for a load.
  expect(Number(hits![2])).toBeGreaterThan(0);
  expect(Number(hits![2])).toBeLessThan(150);
  expect(output).toMatch(/loads: [1-9]\d*, evictions: [1-9]\d*/);
  expect(output).toMatch(/latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/);
  expect(output).toContain("PASS: zero failed requests, loaded models within the budget");
}, 180_000);
