/**
 * `bun run bench --rounds N`: each row's figures are its medians over the rounds, and each target
 * says how many rounds met it on their own (scripts/bench/rounds.ts, scripts/bench/report.ts).
 */
import { describe, expect, test } from "bun:test";
import { median, medianRows, spreadTable } from "../../scripts/bench/rounds.ts";
import { targetLines } from "../../scripts/bench/report.ts";
import type { RowResult } from "../../scripts/bench/run-row.ts";

function row(label: string, readyMs: number, reqPerSec: number, p99Ms: number): RowResult {
  const level = (connections: number) => ({ connections, reqPerSec, p50Ms: p99Ms / 2, p99Ms, errors: 0, rssBytes: 400 * 2 ** 20, pssBytes: 380 * 2 ** 20 });
  return { label, readyMs, levels: [level(1), level(32)] };
}

const rounds: RowResult[][] = [
  [row("model-cache, defaults", 1200, 50, 800), row("plain Bun.serve + transformers.js (native)", 1300, 36, 900)],
  [row("model-cache, defaults", 1500, 44, 950), row("plain Bun.serve + transformers.js (native)", 1250, 36, 900)],
  [row("model-cache, defaults", 1300, 49, 850), row("plain Bun.serve + transformers.js (native)", 1350, 37, 1000)],
];

describe("bench rounds", () => {
  test("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test("each row's figures are its medians over the rounds", () => {
    const [cache, plain] = medianRows(rounds);
    expect(cache!.readyMs).toBe(1300);
    expect(cache!.levels.find((level) => level.connections === 32)).toMatchObject({ reqPerSec: 49, p99Ms: 850 });
    expect(plain!.readyMs).toBe(1300);
    expect(spreadTable(rounds)).toContain("| model-cache, defaults | 32 | 50.0 · 44.0 · 49.0 | 800 · 950 · 850 | 1200 · 1500 · 1300 |");
  });

  test("each target says how many rounds met it", () => {
    const lines = targetLines(medianRows(rounds), rounds);
    expect(lines).toContain("- time to ready, model-cache / plain server: 1.00× (target ≤ 1); met in 2 of 3 rounds: 0.92, 1.20, 0.96");
    expect(lines.find((line) => line.startsWith("- throughput at 32 conns, model-cache / plain server"))).toBe(
      "- throughput at 32 conns, model-cache / plain server: 1.36× (target ≥ 1.3); met in 2 of 3 rounds: 1.39, 1.22, 1.32",
    );
    expect(targetLines(medianRows(rounds)).every((line) => !line.includes("rounds"))).toBe(true);
  });
});
