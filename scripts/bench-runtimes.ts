/**
 * Bun against Deno (`npm run bench:runtimes`): for each runtime and round, the time from spawning
 * the service to its first answer (listening), to ready (every model loaded), and the throughput
 * and latency of POST /api/v1/sentiment on the demo models under wrk (Debian package `wrk`).
 * Prints a Markdown table of the medians. Figures from a busy machine are indicative only.
 *
 *   bun scripts/bench-runtimes.ts [--rounds 3] [--seconds 10] [--connections 16] [--runtimes bun,deno]
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { cliOptions } from "./lib/cli-options.ts";
import { startServiceProcess, waitForStatus, type RuntimeName } from "./lib/service-process.ts";

const USAGE = "usage: bun scripts/bench-runtimes.ts [--rounds N] [--seconds S] [--connections C] [--runtimes bun,deno]";
const options = cliOptions(USAGE, {
  rounds: { type: "string" },
  seconds: { type: "string" },
  connections: { type: "string" },
  runtimes: { type: "string" },
});
const rounds = Number(options.rounds ?? 3);
const seconds = Number(options.seconds ?? 10);
const connections = Number(options.connections ?? 16);
const runtimes = (options.runtimes ?? "bun,deno").split(",") as RuntimeName[];
const run = promisify(execFile);

interface Round {
  listenMs: number;
  readyMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** wrk's latency figure ("1.23ms", "850.00us", "1.02s") in milliseconds. */
function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (match === null) throw new Error(`unreadable wrk latency "${text}"`);
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
}

async function wrk(url: string, script: string, durationS: number): Promise<Omit<Round, "listenMs" | "readyMs">> {
  const { stdout } = await run("wrk", ["-t1", `-c${connections}`, `-d${durationS}s`, "--latency", "-s", script, url]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p50 = /^\s+50%\s+(\S+)/m.exec(stdout);
  const p99 = /^\s+99%\s+(\S+)/m.exec(stdout);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  if (rps === null || p50 === null || p99 === null) throw new Error(`unreadable wrk output:\n${stdout}`);
  if (errors !== null) throw new Error(`${errors[1]} requests failed:\n${stdout}`);
  return { requestsPerSecond: Number(rps[1]), p50Ms: milliseconds(p50[1]!), p99Ms: milliseconds(p99[1]!) };
}

async function measure(runtime: RuntimeName, script: string): Promise<Round> {
  const started = performance.now();
  const service = await startServiceProcess({ MODELS_DIR: join(import.meta.dirname, "../models"), LOG_LEVEL: "warn" }, { runtime, until: "live" });
  try {
    const listenMs = performance.now() - started;
    await waitForStatus(service, "/v2/health/ready", 120_000, 5);
    const readyMs = performance.now() - started;
    const url = `${service.url}/api/v1/sentiment`;
    await wrk(url, script, 2); // warm-up: JIT, first inference
    return { listenMs, readyMs, ...(await wrk(url, script, seconds)) };
  } finally {
    await service.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const folder = await mkdtemp(join(tmpdir(), "model-cache-bench-"));
const script = join(folder, "sentiment.lua");
await writeFile(
  script,
  `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '{"text": "The staff were friendly and the food was lovely."}'\n`,
);
const results = new Map<RuntimeName, Round[]>(runtimes.map((runtime) => [runtime, []]));
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate the runtimes so that a change in the machine's load hits both alike.
    for (const runtime of round % 2 === 1 ? runtimes : [...runtimes].reverse()) {
      const figures = await measure(runtime, script);
      results.get(runtime)!.push(figures);
      console.error(
        `${runtime} round ${round}: listening ${figures.listenMs.toFixed(0)} ms, ready ${figures.readyMs.toFixed(0)} ms, ` +
          `${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms`,
      );
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}

console.log(`\nMedians of ${rounds} rounds; wrk -t1 -c${connections} -d${seconds}s, POST /api/v1/sentiment (demo models).\n`);
console.log(`| | ${runtimes.join(" | ")} |\n|---|${runtimes.map(() => "---:").join("|")}|`);
const row = (label: string, pick: (round: Round) => number, digits: number) =>
  console.log(`| ${label} | ${runtimes.map((runtime) => median(results.get(runtime)!.map(pick)).toFixed(digits)).join(" | ")} |`);
row("start to listening (ms)", (r) => r.listenMs, 0);
row("start to ready (ms)", (r) => r.readyMs, 0);
row("sentiment throughput (req/s)", (r) => r.requestsPerSecond, 0);
row("sentiment latency p50 (ms)", (r) => r.p50Ms, 2);
row("sentiment latency p99 (ms)", (r) => r.p99Ms, 2);
