/**
 * Repeated rounds of `bun run bench` (`--rounds N`): every row runs once per round, rounds one
 * after the other, so that a slow moment of the machine falls on every server alike. The
 * figures reported are each row's medians over the rounds; `spread` gives their range.
 */
import type { LevelResult, RowResult } from "./run-row.ts";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each row's median figures over the rounds (rows and levels matched by label and connections). */
export function medianRows(rounds: RowResult[][]): RowResult[] {
  const first = rounds[0] ?? [];
  return first.map((row) => {
    const runs = rounds.map((round) => round.find((candidate) => candidate.label === row.label)).filter((run) => run !== undefined);
    const levels = row.levels.map((level): LevelResult => {
      const same = runs.map((run) => run.levels.find((candidate) => candidate.connections === level.connections)).filter((found) => found !== undefined);
      const of = (pick: (found: LevelResult) => number) => median(same.map(pick));
      return {
        connections: level.connections,
        reqPerSec: of((found) => found.reqPerSec),
        p50Ms: of((found) => found.p50Ms),
        p99Ms: of((found) => found.p99Ms),
        errors: same.reduce((sum, found) => sum + found.errors, 0),
        rssBytes: of((found) => found.rssBytes),
        pssBytes: of((found) => found.pssBytes),
      };
    });
    return { label: row.label, readyMs: median(runs.map((run) => run.readyMs)), levels };
  });
}

/** Range of each row's throughput, p99 and time to ready over the rounds, as a markdown table. */
export function spreadTable(rounds: RowResult[][]): string {
  const lines = ["| server | conns | req/s, each round | p99 ms, each round | ready ms, each round |", "|---|---:|---|---|---|"];
  for (const row of rounds[0] ?? []) {
    const runs = rounds.map((round) => round.find((candidate) => candidate.label === row.label)).filter((run) => run !== undefined);
    for (const level of row.levels) {
      const same = runs.map((run) => run.levels.find((candidate) => candidate.connections === level.connections)).filter((found) => found !== undefined);
      lines.push(
        `| ${row.label} | ${level.connections} | ${same.map((found) => found.reqPerSec.toFixed(1)).join(" · ")} | ` +
          `${same.map((found) => found.p99Ms.toFixed(0)).join(" · ")} | ${runs.map((run) => run.readyMs.toFixed(0)).join(" · ")} |`,
      );
    }
  }
  return lines.join("\n");
}
