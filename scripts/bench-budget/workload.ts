/**
 * A random workload from concurrent clients outside the service: each client sends one
 * inference request at a time to a model drawn at random, and checks the answer.
 */
import { mulberry32 } from "../demo-models/prng.ts";
import { gatherRequest, type SizedModelFile } from "./sized-models.ts";

/** What a workload does. */
export interface WorkloadOptions {
  url: string;
  models: SizedModelFile[];
  /** Requests in all. */
  requests: number;
  /** Clients sending at once. */
  concurrency: number;
  seed: number;
  /** Zipf exponent of the model choice: 0 is uniform; 1 makes the first model 2.3 × as likely as the second… */
  skew: number;
  /** Time limit of one request, ms. */
  timeoutMs: number;
  /** Counts finished requests as they finish (for a sampler). */
  progress?: { done: number };
}

/** What a workload saw. */
export interface WorkloadResult {
  /** Latency of every request, ms, in the order they finished. */
  latencies: number[];
  /** Requests that failed: not 200, a wrong answer, or no answer; with why (at most 20 kept). */
  failed: number;
  failures: string[];
  seconds: number;
}

/**
 * Runs the workload and returns latencies and failures.
 *
 * @example
 * const result = await runWorkload({ url, models, requests: 2000, concurrency: 8, seed: 1, skew: 0, timeoutMs: 120_000 });
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const random = mulberry32(options.seed);
  const weights = options.models.map((_, rank) => 1 / (rank + 1) ** options.skew);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const pick = (): SizedModelFile => {
    let draw = random() * total;
    for (const [index, weight] of weights.entries()) {
      draw -= weight;
      if (draw < 0) return options.models[index]!;
    }
    return options.models.at(-1)!;
  };
  const result: WorkloadResult = { latencies: [], failed: 0, failures: [], seconds: 0 };
  const fail = (why: string) => {
    result.failed++;
    if (result.failures.length < 20) result.failures.push(why);
  };
  let issued = 0;
  const client = async () => {
    while (issued < options.requests) {
      issued++;
      const model = pick();
      const index = Math.floor(random() * model.entries);
      const started = performance.now();
      try {
        const response = await fetch(`${options.url}/v2/models/${model.name}/infer`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(gatherRequest(index)),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const body = (await response.json()) as { outputs?: { data?: number[] }[]; error?: string };
        result.latencies.push(performance.now() - started);
        const value = body.outputs?.[0]?.data?.[0];
        if (response.status !== 200) fail(`${model.name}: ${response.status} ${body.error ?? ""}`);
        else if (value !== model.value) fail(`${model.name}: answered ${value}, expected ${model.value}`);
      } catch (error) {
        result.latencies.push(performance.now() - started);
        fail(`${model.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (options.progress !== undefined) options.progress.done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The `p`-th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
