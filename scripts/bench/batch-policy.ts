/**
 * How model-cache's batching policy was chosen, reproducibly: measure what one run of the
 * benchmark model costs for each batch shape (rows × padded tokens) on this machine, then replay
 * wrk's closed loop (c clients, each sending its next SST-2 sentence as soon as the last is
 * answered) against those costs under each policy. No timing noise: every policy meets the same
 * arrivals and the same costs, so their throughput and p99 compare exactly.
 *
 *   bun scripts/bench/batch-policy.ts [--connections 32] [--overhead-ms 0] [--models DIR] [--costs FILE]
 *
 * With `--costs FILE`, the costs are read from FILE when it exists (and written to it when not):
 * replays at other concurrencies then meet exactly the same costs.
 *
 * Needs what `bun run bench` leaves in bench-models/: the DistilBERT-sized model and the SST-2
 * sentences (load/sentences.txt).
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import * as ort from "onnxruntime-node-native";
import { estimatedTokens, takeBatch } from "../../src/batching/length-buckets.ts";
import { BatchPlanner } from "../../src/batching/batch-planner.ts";

const { values } = parseArgs({
  options: { connections: { type: "string", default: "32" }, "overhead-ms": { type: "string", default: "0" }, models: { type: "string", default: join(import.meta.dir, "..", "..", "bench-models") }, costs: { type: "string" } },
});
const BENCH_MODELS_DIR = values.models;
const SENTENCES_FILE = join(BENCH_MODELS_DIR, "load", "sentences.txt");
const CONNECTIONS = Number(values.connections);
const OVERHEAD_MS = Number(values["overhead-ms"]);
const ROWS = [1, 2, 4, 8, 16, 32];
const LENGTHS = [8, 16, 24, 32, 48, 64];
const folder = join(BENCH_MODELS_DIR, "distilbert", "distilbert-sst2-bench");

/** Median time of one run for each shape, ms. */
async function measureCosts(): Promise<Map<string, number>> {
  const session = await ort.InferenceSession.create(join(folder, "onnx", "model.onnx"), { intraOpNumThreads: navigator.hardwareConcurrency, interOpNumThreads: 1, enableCpuMemArena: false });
  const costs = new Map<string, number>();
  for (const length of LENGTHS) {
    for (const rows of ROWS) {
      const size = rows * length;
      const feeds = {
        input_ids: new ort.Tensor("int64", new BigInt64Array(size).fill(1000n), [rows, length]),
        attention_mask: new ort.Tensor("int64", new BigInt64Array(size).fill(1n), [rows, length]),
      };
      await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await session.run(feeds);
        times.push(performance.now() - start);
      }
      costs.set(`${rows}x${length}`, times.sort((a, b) => a - b)[2]!);
    }
  }
  await session.release();
  return costs;
}

/** Linear interpolation of the measured costs. */
function costOf(costs: Map<string, number>, rows: number, length: number): number {
  const scale = (rows > 32 ? rows / 32 : 1) * (length > 64 ? length / 64 : 1);
  const at = (axis: number[], x: number): [number, number, number] => {
    const clamped = Math.min(Math.max(x, axis[0]!), axis.at(-1)!);
    let low = 0;
    while (low < axis.length - 2 && axis[low + 1]! < clamped) low++;
    const high = Math.min(low + 1, axis.length - 1);
    return [low, high, high === low ? 0 : (clamped - axis[low]!) / (axis[high]! - axis[low]!)];
  };
  const [r0, r1, rw] = at(ROWS, Math.min(rows, 32));
  const [l0, l1, lw] = at(LENGTHS, Math.min(length, 64));
  const c = (r: number, l: number) => costs.get(`${ROWS[r]}x${LENGTHS[l]}`)!;
  const low = c(r0, l0) * (1 - lw) + c(r0, l1) * lw;
  const high = c(r1, l0) * (1 - lw) + c(r1, l1) * lw;
  return (low * (1 - rw) + high * rw) * scale;
}

interface Waiting {
  tokens: number;
  estimate: number;
  at: number;
}
type Policy = { name: string; take: (waiting: Waiting[]) => Waiting[]; ran?: (batch: Waiting[], ms: number) => void };

/** The batching of model-cache before this choice: nearest lengths first, 30 % padding, no cap. */
function nearestFirst(waiting: Waiting[]): Waiting[] {
  const first = waiting[0]!;
  const others = waiting
    .slice(1)
    .map((item, index) => ({ item, index }))
    .sort((a, b) => Math.abs(a.item.estimate - first.estimate) - Math.abs(b.item.estimate - first.estimate) || a.index - b.index)
    .map(({ item }) => item);
  return takeBatch([first, ...others], { maxBatch: 256, maxPaddingRatio: 1.3, lengthOf: (item) => item.estimate });
}

/** The replay's clock, ms: the planners read it when told a run has ended. */
const clock = { now: 0 };

function replay(policy: Policy, costs: Map<string, number>, tokens: number[], estimates: number[], seconds = 600): { rps: number; p50: number; p99: number } {
  let now = 0;
  clock.now = 0;
  let next = 0;
  const arrive = (at: number): Waiting => {
    const index = next++ % tokens.length;
    return { tokens: tokens[index]!, estimate: estimates[index]!, at };
  };
  let waiting = Array.from({ length: CONNECTIONS }, () => arrive(0));
  const latencies: number[] = [];
  const warmUpMs = 60_000;
  while (now < seconds * 1000) {
    const batch = policy.take(waiting);
    const taken = new Set(batch);
    waiting = waiting.filter((item) => !taken.has(item));
    const ms = costOf(costs, batch.length, Math.max(...batch.map((item) => item.tokens))) + OVERHEAD_MS;
    now += ms;
    clock.now = now;
    policy.ran?.(batch, ms);
    for (const item of batch) {
      if (item.at >= warmUpMs) latencies.push(now - item.at);
      waiting.push(arrive(now));
    }
  }
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / (seconds - warmUpMs / 1000), p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

(globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = ort;
const { AutoTokenizer } = await import("@huggingface/transformers");
const tokenizer = await AutoTokenizer.from_pretrained(folder, { local_files_only: true });
const sentences = (await Bun.file(SENTENCES_FILE).text()).split("\n").filter((text) => text.length > 0);
const tokens = sentences.map((text) => tokenizer(text).input_ids.dims[1] as number);
const estimates = sentences.map(estimatedTokens);
const costsFile = values.costs === undefined ? undefined : Bun.file(values.costs);
const costs = costsFile !== undefined && (await costsFile.exists()) ? new Map<string, number>(Object.entries(await costsFile.json())) : await measureCosts();
if (costsFile !== undefined && !(await costsFile.exists())) await Bun.write(costsFile, JSON.stringify(Object.fromEntries(costs)));

/**
 * model-cache's policy: oldest first, 20 % padding, runs sized to about `maxRunMs` by what past
 * runs cost, newer texts joining within the fill window (or, to compare, without it).
 */
function modelCache(maxRunMs: number, fillWindow = true): Policy {
  const planner = new BatchPlanner<Waiting>({ maxBatch: 256, maxRunMs, lengthOf: (item) => item.estimate, ...(fillWindow && { arrivedAt: (item: Waiting) => item.at, now: () => clock.now }) });
  return {
    name: `model-cache: oldest first, 20 % padding, runs of about ${maxRunMs} ms${fillWindow ? "" : ", no fill window"}`,
    take: (waiting) => planner.next(waiting),
    ran: (batch, ms) => planner.ran(batch, ms),
  };
}

const policies: Policy[] = [
  { name: "one text at a time, in arrival order (the plain server)", take: (waiting) => [waiting[0]!] },
  { name: "nearest length first, 30 % padding, no cap (before)", take: nearestFirst },
  ...[0, 96, 128, 192, 256].flatMap((cap) =>
    [1.2, 1.3].map((ratio) => ({
      name: `oldest first, ${Math.round((ratio - 1) * 100)} % padding, ${cap === 0 ? "no cap" : `${cap} tokens`}`,
      take: (waiting: Waiting[]) => takeBatch(waiting, { maxBatch: 256, maxPaddingRatio: ratio, ...(cap > 0 && { maxPaddedSize: cap }), lengthOf: (item) => item.estimate }),
    })),
  ),
  modelCache(100, false),
  ...[50, 100, 150].map((maxRunMs) => modelCache(maxRunMs)),
];
console.log(`Run costs (ms, median of 5${values.costs === undefined ? "" : `; ${values.costs}`}): ${[...costs].map(([shape, ms]) => `${shape} ${ms.toFixed(1)}`).join(", ")}`);
console.log(`\n${CONNECTIONS} connections, ${OVERHEAD_MS} ms per run on top\n`);
console.log("| policy | req/s | p50 | p99 |\n|---|---:|---:|---:|");
for (const policy of policies) {
  const { rps, p50, p99 } = replay(policy, costs, tokens, estimates);
  console.log(`| ${policy.name} | ${rps.toFixed(1)} | ${p50.toFixed(0)} ms | ${p99.toFixed(0)} ms |`);
}
