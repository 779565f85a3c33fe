/**
 * `bun run soak`: reloads every demo model over and over in a running service and checks that
 * resident memory levels off. Resident memory (RSS) is the whole process's, model host workers
 * included: they are threads of this process, which is why the service runs in-process here.
 * Memory is read after a forced garbage collection of the main thread and of every model host.
 *
 *   bun run soak                          # 1,000 rounds, a sample every 100
 *   bun run soak --rounds 300 --every 50
 *
 * One round = one full reload through the HTTP app (`POST /api/v1/models/reload` with `{}`:
 * rescan, then a new instance of every model behind the serving one, swap, release of the old
 * one), followed by one request to each model, so every instance that is made also runs. Passes (exit 0) when RSS after
 * the last round is within 10 % or 30 MB (whichever is larger) of RSS after the first sample
 * round; exits 1 otherwise, 2 on bad options.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../src/config/config.ts";
import { Logger } from "../src/logging/logger.ts";
import { ModelService } from "../src/service/model-service.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { runtime } from "#runtime";

/** What a soak run does. */
export interface SoakOptions {
  /** Full reloads of every model (default 1000). */
  rounds: number;
  /** Take a memory sample every `every` rounds (default 100); the first sample is the baseline. */
  every: number;
  /** Models folder to copy (default the repository's demo models). */
  modelsDir?: string;
  /** Called with each sample as it is taken (the CLI prints it). */
  onSample?: (sample: SoakSample) => void;
}

/** Memory after round `round`, after a forced GC everywhere. */
export interface SoakSample {
  round: number;
  /** Resident set of the whole process (main thread and model host workers), bytes. */
  rss: number;
  /** JS heap in use on the main thread, bytes. */
  heapUsed: number;
  /** JS heap in use summed over the model hosts, bytes. */
  hostHeapUsed: number;
  /** WebAssembly memory of the hosts' runtimes, bytes: it never shrinks, so a session leak shows here. */
  wasmMemory: number;
  /** Model instances held by the hosts (should stay the number of models). */
  hostInstances: number;
  /** Seconds since the first round started. */
  elapsed: number;
}

/** The verdict of a soak run. */
export interface SoakResult {
  samples: SoakSample[];
  baseline: SoakSample;
  last: SoakSample;
  /** Growth allowed over the baseline, bytes: the larger of 10 % and 30 MB. */
  allowed: number;
  passed: boolean;
}

const MB = 1_000_000;
const ADMIN_TOKEN = "soak-admin-token-0123456789";
const MiB = 1024 * 1024;
const DEMO_MODELS = join(import.meta.dirname, "../models");

/**
 * Runs the soak: copies the models to a temporary folder, starts a service over it, reloads
 * every model `rounds` times and samples memory every `every` rounds.
 *
 * @example
 * const result = await runSoak({ rounds: 60, every: 20 });
 * result.passed; // true when memory levelled off
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const dir = await mkdtemp(join(tmpdir(), "model-cache-soak-"));
  await cp(options.modelsDir ?? DEMO_MODELS, dir, { recursive: true });
  const log = new Logger({ level: "warn" });
  const config = parseConfig({ MODELS_DIR: dir, PORT: "0", HOST: "127.0.0.1", ADMIN_TOKEN, LOG_LEVEL: "warn" });
  const service = await ModelService.create(config, { log });
  const samples: SoakSample[] = [];
  try {
    await service.start();
    await service.loading;
    const models = service.cache.getRegistry().models;
    const failed = models.filter((model) => model.status !== "loaded");
    if (failed.length > 0) throw new Error(`models did not load: ${failed.map((model) => `${model.name} (${model.error})`).join(", ")}`);
    const started = performance.now();
    for (let round = 1; round <= options.rounds; round++) {
      const summary = (await post(service, "/api/v1/models/reload", {}, round)) as { loaded_count: number };
      const reloaded = service.cache.getRegistry().models.filter((model) => model.status === "loaded" && model.failure_count === 0);
      if (summary.loaded_count !== models.length || reloaded.length !== models.length) {
        throw new Error(`round ${round}: a reload failed: ${JSON.stringify(service.cache.getRegistry().models.map((model) => model.last_error ?? model.error).filter(Boolean))}`);
      }
      await useEveryModel(service, round);
      if (round % options.every === 0 || round === options.rounds) {
        const sample = await measure(service, round, (performance.now() - started) / 1000, models.length);
        samples.push(sample);
        options.onSample?.(sample);
      }
    }
  } finally {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const baseline = samples[0]!;
  const last = samples.at(-1)!;
  const allowed = Math.max(baseline.rss * 0.1, 30 * MB);
  return { samples, baseline, last, allowed, passed: last.rss - baseline.rss <= allowed };
}

const IRIS = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };

/** POSTs JSON to the HTTP app (no socket) with the admin token; throws unless it answers 200. */
async function post(service: ModelService, path: string, body: unknown, round: number): Promise<unknown> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` };
  const response = await service.app.handle(new Request(`http://soak${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
  if (response.status !== 200) throw new Error(`round ${round}: POST ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** One request to each model, so every new instance runs once. */
async function useEveryModel(service: ModelService, round: number): Promise<void> {
  const call = (path: string, body: unknown) => post(service, path, body, round);
  const text = { inputs: [{ name: "text", datatype: "BYTES", shape: [1], data: [`a lovely film, round ${round}`] }] };
  const linear = { inputs: [{ name: "x", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }] };
  await Promise.all(
    service.cache.getRegistry().models.map((model) => {
      switch (model.model_type) {
        case "prophet":
          return call(`/api/v1/models/${model.name}/forecast`, { periods: 7 });
        case "transformer":
        case "lexicon":
          return call(`/v2/models/${model.name}/infer`, text);
        default:
          return call(`/v2/models/${model.name}/infer`, model.name === "iris_classifier" ? IRIS : linearInput(model, linear));
      }
    }),
  );
}

/** A request for an ONNX model whose input is not known here: ones of its declared shape. */
function linearInput(model: { inputs?: { name: string; datatype: string; shape: number[] }[] }, fallback: unknown): unknown {
  const input = model.inputs?.[0];
  if (input === undefined || input.datatype !== "FP32") return fallback;
  const shape = input.shape.map((dimension) => (dimension < 0 ? 1 : dimension));
  const size = shape.reduce((a, b) => a * b, 1);
  return { inputs: [{ name: input.name, datatype: "FP32", shape, data: Array.from({ length: size }, () => 1) }] };
}

/**
 * Waits until every retired instance has been released in its host, collects garbage on the main
 * thread and in every host, then reads memory.
 */
async function measure(service: ModelService, round: number, elapsed: number, expectedInstances: number): Promise<SoakSample> {
  let hosts = await service.hosts.describe(true);
  for (let tries = 0; countInstances(hosts) !== expectedInstances && tries < 500; tries++) {
    await sleep(10);
    hosts = await service.hosts.describe(true);
  }
  for (let pass = 0; pass < 2; pass++) {
    hosts = await service.hosts.describe(true, true);
    runtime.gc();
    await sleep(20);
  }
  const memory = process.memoryUsage();
  return {
    round,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    hostHeapUsed: hosts.reduce((sum, host) => sum + (host.memory?.heapUsed ?? 0), 0),
    wasmMemory: hosts.reduce((sum, host) => sum + (host.memory?.wasmMemory ?? 0), 0),
    hostInstances: countInstances(hosts),
    elapsed,
  };
}

function countInstances(hosts: { memory?: { instances: number } }[]): number {
  return hosts.reduce((sum, host) => sum + (host.memory?.instances ?? 0), 0);
}

/**
 * The curve as a table: round, RSS, change since the baseline, heaps, instances.
 *
 * @example
 * console.log(formatCurve(await runSoak({ rounds: 300, every: 100 })));
 */
export function formatCurve(result: SoakResult): string {
  const mib = (bytes: number) => (bytes / MiB).toFixed(1);
  const lines = ["round   RSS MiB   Δ vs baseline     main heap MiB   host heap MiB   WASM MiB   instances   elapsed s"];
  for (const sample of result.samples) {
    const delta = sample.rss - result.baseline.rss;
    const percent = ((delta / result.baseline.rss) * 100).toFixed(1);
    lines.push(
      [
        String(sample.round).padStart(5),
        mib(sample.rss).padStart(9),
        `${delta >= 0 ? "+" : ""}${mib(delta)} (${delta >= 0 ? "+" : ""}${percent} %)`.padStart(17),
        mib(sample.heapUsed).padStart(17),
        mib(sample.hostHeapUsed).padStart(15),
        mib(sample.wasmMemory).padStart(10),
        String(sample.hostInstances).padStart(11),
        sample.elapsed.toFixed(0).padStart(11),
      ].join(" "),
    );
  }
  return lines.join("\n");
}

function parseArgs(argv: string[]): { rounds: number; every: number } {
  const options = { rounds: 1000, every: 100 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const key = flag === "--rounds" ? "rounds" : flag === "--every" ? "every" : undefined;
    const value = Number(argv[i + 1]);
    if (key === undefined || !Number.isInteger(value) || value < 1) {
      throw new Error(`unknown option or bad value: ${flag} ${argv[i + 1] ?? ""}`.trim());
    }
    options[key] = value;
    i++;
  }
  if (options.every > options.rounds) throw new Error("--every must not exceed --rounds");
  return options;
}

const USAGE = "usage: bun run soak [--rounds N (default 1000)] [--every K (default 100)]";

if (import.meta.main) {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  let args: { rounds: number; every: number };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`soak: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  console.log(`Soak: ${args.rounds} full reloads of every demo model, memory every ${args.every} rounds`);
  const result = await runSoak({
    ...args,
    onSample: (sample) =>
      console.log(`  round ${sample.round}: RSS ${(sample.rss / MiB).toFixed(1)} MiB, ${sample.hostInstances} instances, ${sample.elapsed.toFixed(0)} s`),
  });
  console.log(`\n${formatCurve(result)}\n`);
  const growth = result.last.rss - result.baseline.rss;
  const verdict = `RSS after round ${result.last.round} is ${(growth / MiB).toFixed(1)} MiB ${growth >= 0 ? "above" : "below"} round ${result.baseline.round}; allowed ${(result.allowed / MiB).toFixed(1)} MiB (10 % or 30 MB)`;
  console.log(`${result.passed ? "PASS" : "FAIL"}  ${verdict}`);
  process.exit(result.passed ? 0 : 1);
}
