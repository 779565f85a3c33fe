/** Markdown tables of `bun run bench` results, and the targets checked against them. */
import type { RowResult } from "./run-row.ts";

function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function rate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/** One table: a line per row and concurrency. */
export function resultTable(results: RowResult[]): string {
  const lines = [
    "| server | conns | req/s | p50 | p99 | errors | time to ready | RSS after load | PSS after load |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of results) {
    for (const level of row.levels) {
      lines.push(
        `| ${row.label} | ${level.connections} | ${rate(level.reqPerSec)} | ${duration(level.p50Ms)} | ${duration(level.p99Ms)} | ${level.errors} | ` +
          `${duration(row.readyMs)} | ${(level.rssBytes / 2 ** 20).toFixed(0)} MiB | ${(level.pssBytes / 2 ** 20).toFixed(0)} MiB |`,
      );
    }
  }
  return lines.join("\n");
}

function level(row: RowResult | undefined, connections: number) {
  return row?.levels.find((candidate) => candidate.connections === connections);
}

/** A ratio line: `what: a / b = x (target)`, or nothing when a figure is missing. */
function ratioLine(what: string, a: number | undefined, b: number | undefined, target: string): string[] {
  if (a === undefined || b === undefined || b === 0) return [];
  return [`- ${what}: ${(a / b).toFixed(2)}× (target ${target})`];
}

/** The targets, as measured: model-cache against its peers. */
export function targetLines(results: RowResult[]): string[] {
  const find = (prefix: string) => results.find((row) => row.label.startsWith(prefix));
  const cache = find("model-cache, defaults");
  const plain = find("plain Bun.serve + transformers.js (native)");
  const limit = find("in-process limit");
  const iris = find("model-cache: iris");
  const raw = find("raw Bun.serve");
  const demo = find("model-cache: demo sentiment");
  const demoPlain = find("plain Bun.serve + transformers.js (native): demo");
  return [
    ...ratioLine("throughput at 32 conns, model-cache / plain server", level(cache, 32)?.reqPerSec, level(plain, 32)?.reqPerSec, "≥ 1.3"),
    ...ratioLine("p99 at 32 conns, model-cache / plain server", level(cache, 32)?.p99Ms, level(plain, 32)?.p99Ms, "≤ 1"),
    ...ratioLine("throughput at 32 conns, model-cache / in-process limit", level(cache, 32)?.reqPerSec, level(limit, 32)?.reqPerSec, "≥ 0.8"),
    ...ratioLine("p50 at 1 conn, model-cache / plain server", level(cache, 1)?.p50Ms, level(plain, 1)?.p50Ms, "≤ 1.1"),
    ...ratioLine("time to ready, model-cache / plain server", cache?.readyMs, plain?.readyMs, "≤ 1"),
    ...ratioLine("RSS after load at 32 conns, model-cache / plain server", level(cache, 32)?.rssBytes, level(plain, 32)?.rssBytes, "≤ 1"),
    ...ratioLine("PSS after load at 32 conns (shared pages counted once), model-cache / plain server", level(cache, 32)?.pssBytes, level(plain, 32)?.pssBytes, "RSS's ≤ 1, for comparison"),
    ...ratioLine("iris throughput at 32 conns, model-cache / raw server", level(iris, 32)?.reqPerSec, level(raw, 32)?.reqPerSec, "≥ 0.8"),
    ...ratioLine("demo sentiment p99 at 32 conns, model-cache / plain server", level(demo, 32)?.p99Ms, level(demoPlain, 32)?.p99Ms, "≤ 1.5"),
  ];
}
