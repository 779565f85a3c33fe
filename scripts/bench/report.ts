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

/** One of the targets: a ratio of model-cache's figure to a peer's, and its limit. */
interface Target {
  what: string;
  ratio: (results: RowResult[]) => number | undefined;
  /** Absent for a figure shown for comparison only. */
  limit?: { atMost: boolean; value: number };
  note?: string;
}

const find = (results: RowResult[], prefix: string) => results.find((row) => row.label.startsWith(prefix));
const ratioOf = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
const at32 = (results: RowResult[], prefix: string) => level(find(results, prefix), 32);
const CACHE = "model-cache, defaults";
const PLAIN = "plain Bun.serve + transformers.js (native)";

const TARGETS: Target[] = [
  { what: "throughput at 32 conns, model-cache / plain server", ratio: (r) => ratioOf(at32(r, CACHE)?.reqPerSec, at32(r, PLAIN)?.reqPerSec), limit: { atMost: false, value: 1.3 } },
  { what: "p99 at 32 conns, model-cache / plain server", ratio: (r) => ratioOf(at32(r, CACHE)?.p99Ms, at32(r, PLAIN)?.p99Ms), limit: { atMost: true, value: 1 } },
  {
    what: "throughput at 32 conns, in-process limit / plain server",
    ratio: (r) => ratioOf(at32(r, "in-process limit")?.reqPerSec, at32(r, PLAIN)?.reqPerSec),
    note: "none: the most batching gains over one text at a time on this machine now, for comparison",
  },
  { what: "throughput at 32 conns, model-cache / in-process limit", ratio: (r) => ratioOf(at32(r, CACHE)?.reqPerSec, at32(r, "in-process limit")?.reqPerSec), limit: { atMost: false, value: 0.8 } },
  { what: "p50 at 1 conn, model-cache / plain server", ratio: (r) => ratioOf(level(find(r, CACHE), 1)?.p50Ms, level(find(r, PLAIN), 1)?.p50Ms), limit: { atMost: true, value: 1.1 } },
  { what: "time to ready, model-cache / plain server", ratio: (r) => ratioOf(find(r, CACHE)?.readyMs, find(r, PLAIN)?.readyMs), limit: { atMost: true, value: 1 } },
  { what: "RSS after load at 32 conns, model-cache / plain server", ratio: (r) => ratioOf(at32(r, CACHE)?.rssBytes, at32(r, PLAIN)?.rssBytes), limit: { atMost: true, value: 1 } },
  {
    what: "PSS after load at 32 conns (shared pages counted once), model-cache / plain server",
    ratio: (r) => ratioOf(at32(r, CACHE)?.pssBytes, at32(r, PLAIN)?.pssBytes),
    note: "RSS's ≤ 1, for comparison",
  },
  { what: "iris throughput at 32 conns, model-cache / raw server", ratio: (r) => ratioOf(at32(r, "model-cache: iris")?.reqPerSec, at32(r, "raw Bun.serve")?.reqPerSec), limit: { atMost: false, value: 0.8 } },
  {
    what: "demo sentiment p99 at 32 conns, model-cache / plain server",
    ratio: (r) => ratioOf(at32(r, "model-cache: demo sentiment")?.p99Ms, at32(r, "plain Bun.serve + transformers.js (native): demo")?.p99Ms),
    limit: { atMost: true, value: 1.5 },
  },
];

const metBy = (limit: NonNullable<Target["limit"]>, value: number) => (limit.atMost ? value <= limit.value : value >= limit.value);

/**
 * The targets, as measured: model-cache against its peers, from `results` (the medians,
 * with several rounds), and how many of the `rounds` met each on their own.
 */
export function targetLines(results: RowResult[], rounds: RowResult[][] = []): string[] {
  return TARGETS.flatMap((target) => {
    const value = target.ratio(results);
    if (value === undefined) return [];
    const limit = target.limit === undefined ? target.note : `${target.limit.atMost ? "≤" : "≥"} ${target.limit.value}`;
    let line = `- ${target.what}: ${value.toFixed(2)}× (target ${limit})`;
    const each = rounds.map((round) => target.ratio(round)).filter((ratio) => ratio !== undefined);
    if (each.length > 1) {
      const met = target.limit === undefined ? "" : `met in ${each.filter((ratio) => metBy(target.limit!, ratio)).length} of ${each.length} rounds: `;
      line += `; ${met}${each.map((ratio) => ratio.toFixed(2)).join(", ")}`;
    }
    return [line];
  });
}
