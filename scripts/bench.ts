/**
 * `bun run bench`: model-cache against the servers a user would write instead, each started as
 * its own process on loopback and driven by wrk with the same load (SST-2 sentences, iris rows),
 * at 1, 8 and 32 connections. Prints throughput, p50, p99, errors, time to ready and resident
 * memory (whole process tree) after load, for the DistilBERT-sized model and for the tiny ones.
 *
 *   bun scripts/bench.ts [--quick] [--seconds N] [--warmup N] [--connections 1,8,32]
 *                        [--only distilbert|tiny] [--int8] [--data-dir DIR] [--models DIR]
 *                        [--rows REGEX] [--rounds N] [--env KEY=VALUE ...]
 *
 * --quick: 3 s per level, 1 s warm-up (a smoke run). --int8 adds the int8 model's rows.
 * --rows runs only the rows whose label matches (e.g. --rows 'model-cache|native').
 * --rounds N runs every row N times, round after round, and reports each row's medians, each
 * round's figures and how many rounds met each target (this machine's figures vary by ±15 %
 * from run to run).
 * --env passes settings to model-cache (e.g. --env ONNX_BACKEND=wasm). Needs `wrk` (Debian
 * package). Results: docs/benchmarks.md.
 */
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { cliOptions } from "./lib/cli-options.ts";
import { resolveDataDir } from "./eval-sentiment/datasets.ts";
import { benchModels, writeBenchModels } from "./bench/models/bench-model-folders.ts";
import { writeLoadBodies } from "./bench/load-bodies.ts";
import { distilbertRows, tinyRows, type BenchRow } from "./bench/rows.ts";
import { runRow, type RowResult } from "./bench/run-row.ts";
import { resultTable, targetLines } from "./bench/report.ts";
import { medianRows, spreadTable } from "./bench/rounds.ts";
import { hasWrk } from "./bench/wrk.ts";
import { measureReload } from "./bench/reload-memory.ts";
import { freePort } from "./lib/service-process.ts";

const REPO = join(import.meta.dir, "..");
const USAGE =
  "usage: bun scripts/bench.ts [--quick] [--seconds N] [--warmup N] [--connections 1,8,32] [--only distilbert|tiny] [--int8] [--data-dir DIR] [--models DIR] [--rows REGEX] [--rounds N] [--env KEY=VALUE ...]";

const options = cliOptions(USAGE, {
  quick: { type: "boolean" },
  seconds: { type: "string" },
  warmup: { type: "string" },
  connections: { type: "string" },
  only: { type: "string" },
  int8: { type: "boolean" },
  "data-dir": { type: "string" },
  models: { type: "string" },
  env: { type: "string", multiple: true },
  rows: { type: "string" },
  rounds: { type: "string" },
});
function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
const positive = (text: string | undefined, fallback: number, name: string) => {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fail(`--${name} must be a non-negative number`);
};
if (options.only !== undefined && options.only !== "distilbert" && options.only !== "tiny") fail("--only takes distilbert or tiny");
if (!hasWrk()) fail("wrk is not installed: apt-get install -y wrk");
const extraEnv = Object.fromEntries(
  (options.env ?? []).map((pair) => {
    const at = pair.indexOf("=");
    return at > 0 ? [pair.slice(0, at), pair.slice(at + 1)] : fail(`--env takes KEY=VALUE, got ${pair}`);
  }),
);
const plan = {
  connections: (options.connections ?? "1,8,32").split(",").map((text) => positive(text, 1, "connections")),
  seconds: positive(options.seconds, options.quick ? 3 : 15, "seconds"),
  warmupSeconds: positive(options.warmup, options.quick ? 1 : 3, "warmup"),
};

const outDir = options.models === undefined ? join(REPO, "bench-models") : resolve(options.models);
for (const line of writeBenchModels(outDir, join(REPO, "models"), 42)) console.log(line);
const bodies = writeLoadBodies(join(outDir, "load"), options["data-dir"] ?? resolveDataDir([], process.env));
const models = benchModels(outDir);

const tables: [title: string, rows: BenchRow[]][] = [];
if (options.only !== "tiny") {
  tables.push(["DistilBERT-sized (268 MB fp32), POST /api/v1/sentiment", distilbertRows(models.distilbert, bodies, false, extraEnv)]);
  if (options.int8) tables.push(["DistilBERT-sized, int8 (68 MB)", distilbertRows(models.distilbertInt8, bodies, true, extraEnv)]);
}
if (options.only !== "distilbert") tables.push(["Tiny models", tinyRows(models.iris, models.demoSentiment, bodies, extraEnv)]);

console.log(`\n${new Date().toISOString()} · ${cpus()[0]?.model ?? "cpu"} · ${availableParallelism()} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Bun ${Bun.version}`);
console.log(`wrk -t1, ${plan.seconds} s per level after ${plan.warmupSeconds} s of warm-up; connections ${plan.connections.join(", ")}${Object.keys(extraEnv).length > 0 ? `; model-cache env ${JSON.stringify(extraEnv)}` : ""}`);
const rounds = positive(options.rounds, 1, "rounds");
if (!Number.isInteger(rounds) || rounds < 1) fail("--rounds takes a whole number of rounds, 1 or more");
const wanted = options.rows === undefined ? undefined : new RegExp(options.rows);
const selected = (rows: BenchRow[]) => rows.filter((candidate) => wanted === undefined || wanted.test(candidate.label));
const byRound: RowResult[][] = [];
for (let round = 1; round <= rounds; round++) {
  const results: RowResult[] = [];
  for (const [, rows] of tables) {
    for (const row of selected(rows)) {
      const result = await runRow(row, plan);
      const top = result.levels.at(-1);
      const figures = top === undefined ? "" : `: ready ${result.readyMs.toFixed(0)} ms, ${top.reqPerSec.toFixed(1)} req/s and p99 ${top.p99Ms.toFixed(0)} ms at ${top.connections} conns`;
      console.log(`  done: ${result.label}${rounds > 1 ? ` (round ${round} of ${rounds})` : ""}${figures}`);
      results.push(result);
    }
  }
  byRound.push(results);
}
const all = medianRows(byRound);
for (const [title, rows] of tables) {
  const labels = new Set(selected(rows).map((row) => row.label));
  const inTable = (results: RowResult[]) => results.filter((result) => labels.has(result.label));
  console.log(`\n### ${title}${rounds > 1 ? ` (medians of ${rounds} rounds)` : ""}\n\n${resultTable(inTable(all))}\n`);
  if (rounds > 1) console.log(`Each round, in order:\n\n${spreadTable(byRound.map(inTable))}\n`);
}
if (options.only !== "tiny" && (wanted === undefined || wanted.test("model-cache, defaults"))) {
  const reload = await measureReload(models.distilbert, await freePort(), extraEnv);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `### Reload of the 268 MB model (model-cache, defaults)\n\n` +
      `RSS before ${mib(reload.beforeBytes)}, peak during the reload ${mib(reload.peakBytes)}, ` +
      `${mib(reload.after1sBytes)} 1 s and ${mib(reload.after5sBytes)} 5 s after it answered ` +
      `(back for good within 10 % of the figure before ${reload.backWithinMs === undefined ? "not within 5 s" : `${(reload.backWithinMs / 1000).toFixed(2)} s after`}); ` +
      `the reload took ${(reload.reloadMs / 1000).toFixed(2)} s\n`,
  );
}
const targets = targetLines(all, byRound);
if (targets.length > 0) console.log(`### Targets (issue 9)\n\n${targets.join("\n")}`);
