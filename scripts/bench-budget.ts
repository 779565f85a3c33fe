/**
 * `bun run bench:budget`: figures of the memory budget. Writes 5 ONNX models of known sizes
 * (40–56 MiB of weights each) into a temporary folder, starts the service as its own process
 * (`bun src/main.ts`) with MODEL_MEMORY_BUDGET_MB set so that it holds any 2 of them beside the
 * lexicon (required, so never evicted) but never 3, and drives a random workload across all 5
 * from concurrent clients in this process. Reports failed requests, the hit rate (from the
 * service's own counters), loads, evictions, latency percentiles, the most the loaded models
 * held, and the service's peak resident memory. Passes (exit 0) with zero failed requests and
 * the loaded models within the budget at the end; exit 1 otherwise, 2 on bad options.
 *
 *   bun run bench:budget
 *   bun run bench:budget --requests 4000 --concurrency 16 --skew 1 --seed 7 --hosts 2
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliOptions } from "./lib/cli-options.ts";
import { startServiceProcess, type ServiceProcess } from "./lib/service-process.ts";
import { writeSizedModels } from "./bench-budget/sized-models.ts";
import { percentile, runWorkload } from "./bench-budget/workload.ts";
import { setTimeout as sleep } from "node:timers/promises";

const USAGE =
  "usage: bun scripts/bench-budget.ts [--sizes 40,44,48,52,56] [--requests N] [--concurrency C] [--skew S] [--seed S] [--hosts H]";
const options = cliOptions(USAGE, {
  sizes: { type: "string", default: "40,44,48,52,56" },
  requests: { type: "string", default: "2000" },
  concurrency: { type: "string", default: "8" },
  skew: { type: "string", default: "0" },
  seed: { type: "string", default: "1" },
  hosts: { type: "string", default: "1" },
});
const sizes = options.sizes.split(",").map(Number);
const requests = Number(options.requests);
const concurrency = Number(options.concurrency);
const skew = Number(options.skew);
const seed = Number(options.seed);
const hosts = Number(options.hosts);
const sorted = [...sizes].sort((a, b) => a - b);
if (sizes.length < 3 || sizes.some((size) => !(size > 0)) || ![requests, concurrency, seed, hosts].every(Number.isInteger) || !(skew >= 0)) {
  console.error(USAGE);
  process.exit(2);
}

/** Room left for the lexicon beside the two largest models (it measures about 10 MiB). */
const LEXICON_ROOM_MIB = 16;
const budgetMib = Math.ceil(sorted.at(-1)! + sorted.at(-2)! + 0.01) + LEXICON_ROOM_MIB;
if (sorted[0]! + sorted[1]! + sorted[2]! <= budgetMib - 8) {
  console.error(`These sizes let 3 models fit in a budget of ${budgetMib} MiB; pick sizes closer together`);
  process.exit(2);
}

type Entry = { name: string; requests: number; hits: number; misses: number; load_count: number; eviction_count: number; memory_bytes: number | null };
type Registry = { memory: { budget_bytes: number; used_bytes: number; reserved_bytes: number }; models: Entry[] };

const dir = await mkdtemp(join(tmpdir(), "model-cache-bench-budget-"));
let service: ServiceProcess | undefined;
let code = 1;
try {
  const models = await writeSizedModels(dir, sizes);
  await writeFile(join(dir, "models.yaml"), "models:\n  lexicon:\n    required: true\n");
  service = await startServiceProcess({
    MODELS_DIR: dir,
    MODEL_MEMORY_BUDGET_MB: String(budgetMib),
    MODEL_HOSTS: String(hosts),
    LOG_LEVEL: "warn",
  });
  const url = service.url;
  const registry = async (): Promise<Registry> => (await fetch(`${url}/api/v1/models/registry`)).json() as Promise<Registry>;
  const before = await registry();

  type Hosts = { hosts: { name: string; wasm_memory_bytes: number }[] };
  const wasmMemory = async () => ((await (await fetch(`${url}/api/v1/hosts`)).json()) as Hosts).hosts.reduce((sum, host) => sum + host.wasm_memory_bytes, 0);
  const pid = service.pid;
  // Sampled every 50 ms: the most the loaded models held (and held plus reserved for loads under
  // way); at each tenth of the requests, the hosts' WebAssembly memory and the process's RSS.
  const progress = { done: 0 };
  let mostUsed = 0;
  let mostCommitted = 0;
  const byTenth: { wasm: number; rss: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { memory } = await registry();
      mostUsed = Math.max(mostUsed, memory.used_bytes);
      mostCommitted = Math.max(mostCommitted, memory.used_bytes + memory.reserved_bytes);
      if (Math.floor((10 * progress.done) / requests) > byTenth.length) {
        byTenth.push({ wasm: await wasmMemory(), rss: (await residentBytes(pid, "VmRSS")) ?? 0 });
      }
      await sleep(50);
    }
  })();
  const result = await runWorkload({ url, models, requests, concurrency, seed, skew, timeoutMs: 120_000, progress });
  sampling = false;
  await sampler;

  const after = await registry();
  byTenth.push({ wasm: await wasmMemory(), rss: (await residentBytes(pid, "VmRSS")) ?? 0 });
  const peakRss = await residentBytes(pid, "VmHWM");
  const names = new Set(models.map((model) => model.name));
  const sum = (registryState: Registry, field: keyof Entry) =>
    registryState.models.filter((entry) => names.has(entry.name)).reduce((total, entry) => total + Number(entry[field] ?? 0), 0);
  const served = sum(after, "requests") - sum(before, "requests");
  const hits = sum(after, "hits") - sum(before, "hits");
  const lexicon = after.models.find((entry) => entry.name === "lexicon")?.memory_bytes ?? 0;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const withinBudget = after.memory.used_bytes <= after.memory.budget_bytes;

  console.log(`models: ${models.map((model) => `${model.name} (${mib(model.bytes)})`).join(", ")}`);
  console.log(`budget: MODEL_MEMORY_BUDGET_MB=${budgetMib}; the lexicon (required) holds ${mib(lexicon)}, leaving room for 2 of the 5 models`);
  console.log(`workload: ${requests} requests from ${concurrency} clients, model drawn ${skew === 0 ? "uniformly" : `by Zipf s=${skew}`} (seed ${seed}), MODEL_HOSTS=${hosts}`);
  console.log(`failed requests: ${result.failed}`);
  for (const failure of result.failures) console.log(`  ${failure}`);
  console.log(`hit rate: ${((100 * hits) / served).toFixed(1)} % (${hits} of ${served} requests found their model loaded)`);
  console.log(`loads: ${sum(after, "load_count") - sum(before, "load_count")}, evictions: ${sum(after, "eviction_count") - sum(before, "eviction_count")}`);
  console.log(
    `latency: p50 ${ms(percentile(result.latencies, 50))}, p90 ${ms(percentile(result.latencies, 90))}, p99 ${ms(percentile(result.latencies, 99))}, max ${ms(Math.max(...result.latencies))}`,
  );
  console.log(`throughput: ${(requests / result.seconds).toFixed(1)} requests/s over ${result.seconds.toFixed(1)} s`);
  console.log(
    `memory: loaded models held at most ${mib(mostUsed)} (with loads under way: ${mib(mostCommitted)}) of the ${mib(after.memory.budget_bytes)} budget; ${mib(after.memory.used_bytes)} at the end`,
  );
  const series = (pick: (sample: { wasm: number; rss: number }) => number) => byTenth.map((sample) => (pick(sample) / 2 ** 20).toFixed(0)).join(", ");
  console.log(`hosts' WebAssembly memory after each tenth of the requests: ${series((sample) => sample.wasm)} MiB`);
  if (peakRss !== undefined) {
    console.log(`service process resident memory after each tenth: ${series((sample) => sample.rss)} MiB; peak (VmHWM) ${mib(peakRss)}`);
  }
  const passed = result.failed === 0 && withinBudget;
  console.log(passed ? "PASS: zero failed requests, loaded models within the budget" : "FAIL");
  code = passed ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  for (const line of service?.output().slice(-30) ?? []) console.error(line);
} finally {
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
}
process.exit(code);

/** A process's resident memory (`VmRSS`) or its peak (`VmHWM`) from /proc (Linux); undefined elsewhere. */
async function residentBytes(pid: number, field: "VmRSS" | "VmHWM"): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => undefined);
  const kib = status === undefined ? undefined : new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) * 1024;
}
