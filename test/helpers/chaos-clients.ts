/** One thing a chaos client may do; `run` returns an outcome label such as "200" or "503 not ready". */
export interface ChaosAction {
  name: string;
  /** Relative frequency. */
  weight: number;
  run(signal: AbortSignal): Promise<string>;
}

/** What the clients did: outcome counts per action, and the slowest request of each action. */
export interface ChaosReport {
  outcomes: Record<string, Record<string, number>>;
  slowestMs: Record<string, number>;
  requests: number;
}

/** What a chaos run is made of. */
export interface ChaosOptions {
  clients: number;
  durationMs: number;
  /** A request that takes longer counts as the outcome "timeout" (a hang). */
  requestTimeoutMs: number;
  /** Seed of the random choices, so that a failing run can be replayed. */
  seed: number;
  actions: ChaosAction[];
}

/**
 * Runs `clients` loops for `durationMs`; each loop picks an action at random (by weight), runs it
 * with a time limit and counts its outcome. Thrown errors count as `error: <message>`.
 *
 * @example
 * const report = await runChaosClients({ clients: 32, durationMs: 30_000, requestTimeoutMs: 20_000, seed: 1, actions });
 * report.outcomes.unload; // { "200": 412 }
 */
export async function runChaosClients(options: ChaosOptions): Promise<ChaosReport> {
  const report: ChaosReport = { outcomes: {}, slowestMs: {}, requests: 0 };
  const total = options.actions.reduce((sum, action) => sum + action.weight, 0);
  const deadline = performance.now() + options.durationMs;
  const client = async (index: number) => {
    const random = mulberry32(options.seed + index);
    while (performance.now() < deadline) {
      let pick = random() * total;
      const action = options.actions.find((candidate) => (pick -= candidate.weight) < 0) ?? options.actions.at(-1)!;
      const started = performance.now();
      let outcome: string;
      try {
        outcome = await action.run(AbortSignal.timeout(options.requestTimeoutMs));
      } catch (error) {
        const name = (error as Error | undefined)?.name;
        outcome = name === "TimeoutError" || name === "AbortError" ? "timeout" : `error: ${(error as Error).message}`;
      }
      const counts = (report.outcomes[action.name] ??= {});
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      report.slowestMs[action.name] = Math.max(report.slowestMs[action.name] ?? 0, performance.now() - started);
      report.requests++;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  return report;
}

/** A small seeded PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
