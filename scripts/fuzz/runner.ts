/**
 * The fuzz run: plans requests from a seed, sends them at every route with a fixed
 * concurrency, runs admin episodes (unload then load) between them, checks every answer, and
 * finally checks that the service is alive and every model it had loaded still is and answers.
 * Used by `bun run fuzz` (against a separate process) and by test/fuzz (in-process).
 */
import { checkResponse, type Secrets } from "./checks.ts";
import { describeRequest, type FuzzRequest } from "./fuzz-request.ts";
import { ModelGate } from "./model-gate.ts";
import { planRequest } from "./plan.ts";
import { compareWithOpenApi, discoveredRoute, ROUTES, type RouteSpec } from "./routes.ts";
import { send, type Outcome } from "./send.ts";
import { Examples, Tally } from "./tally.ts";
import { describeTarget, type FuzzTarget, type TargetOptions } from "./target.ts";
import { checkModels, isLive, type ModelCheck } from "./final-checks.ts";
import { setTimeout as sleep } from "node:timers/promises";

/** A load that failed because a host restart overlapped it. */
const HOST_RACE = /model host (\S+ )?(retired|was recycled)/;

/** Options of a run. */
export interface FuzzOptions extends TargetOptions {
  /** Requests to plan (default 12 000). */
  requests?: number;
  /** Seed of the plan (default 1). */
  seed?: number;
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Time limit of one request (default 30 s): a request without an answer by then is a hang. */
  timeoutMs?: number;
  /** Host paths no answer may show (the models folder, the checkout). */
  hostPaths?: string[];
  /** Whether the service process still runs (a separate process); assumed alive when absent. */
  isAlive?: () => boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What a run found. */
export interface FuzzResult {
  seed: number;
  planned: number;
  tally: Tally;
  durationMs: number;
  serverErrors: Examples;
  problems: Examples;
  transportErrors: Examples;
  /**
   * Loads that failed because a host restart overlapped them ("model host retired"), and loads
   * ending an episode that had to be tried again: warnings, not failures (400s, not 5xx).
   */
  failedLoads: Examples;
  episodes: number;
  slowest: { ms: number; description: string }[];
  routes: { total: number; notHit: string[]; notInTable: string[]; notServed: string[] };
  alive: boolean;
  live: boolean;
  models: ModelCheck[];
  passed: boolean;
}

/**
 * Runs a fuzz against a running service.
 *
 * @example
 * const result = await runFuzz({ url, adminToken, requests: 1500, seed: 7 });
 * result.passed; // true when no 5xx, no bad body, service alive, models still loaded
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const seed = options.seed ?? 1;
  const planned = options.requests ?? 12_000;
  const concurrency = options.concurrency ?? 16;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const target = await describeTarget(options);
  const secrets: Secrets = {
    tokens: [target.adminToken, ...(target.inferenceToken === undefined ? [] : [target.inferenceToken])],
    hostPaths: options.hostPaths ?? [],
  };
  const { routes, notInTable, notServed } = await routeTable(target.url);
  const loadedAtStart = target.models.filter((model) => model.status === "loaded").map((model) => model.name);

  const tally = new Tally();
  const serverErrors = new Examples(10);
  const problems = new Examples(20);
  const transportErrors = new Examples(10);
  const failedLoads = new Examples(5);
  const slowest: { ms: number; description: string }[] = [];
  const gate = new ModelGate();
  let episodes = 0;
  let episodeChain: Promise<unknown> = Promise.resolve();

  const record = (request: FuzzRequest, outcome: Outcome) => {
    const status = outcome.ok ? String(outcome.status) : "ERR";
    tally.count(request.route, request.category, status);
    const description = describeRequest(request);
    if (!outcome.ok) {
      transportErrors.add(`${description} → ${outcome.error}`);
      return;
    }
    if (outcome.status >= 500) serverErrors.add(`${description} → ${outcome.status} ${outcome.text.slice(0, 200)}`);
    else if (outcome.status === 400 && HOST_RACE.test(outcome.text)) {
      failedLoads.add(`${description} → ${outcome.status} ${outcome.text.slice(0, 200)}`);
    }
    for (const problem of checkResponse(request.method, request.path, outcome, secrets)) problems.add(`${description} → ${problem}`);
    slowest.push({ ms: outcome.ms, description });
    if (slowest.length > 20) slowest.sort((a, b) => b.ms - a.ms).splice(5);
  };

  const episode = (request: FuzzRequest, name: string) => {
    const run = episodeChain.then(async () => {
      await gate.close(name);
      try {
        episodes++;
        record(request, await send(target.url, request, timeoutMs));
        await loadBack(name, request.index);
      } finally {
        gate.open(name);
      }
    });
    episodeChain = run.catch(() => undefined);
    return run;
  };

  // The load that ends an episode; retried, because a load that overlaps a host restart can fail.
  const loadBack = async (name: string, index: number) => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const load = loadRequest(target, name, index);
      const outcome = await send(target.url, load, timeoutMs);
      record(load, outcome);
      if (outcome.ok && outcome.status === 200) return;
      const answer = outcome.ok ? `${outcome.status} ${outcome.text.slice(0, 300)}` : outcome.error;
      if (attempt === 5) problems.add(`${describeRequest(load)} → model "${name}" could not be loaded back after an unload (5 attempts): ${answer}`);
      // A host race is already counted by record(); other failures are counted here.
      else if (!HOST_RACE.test(answer)) failedLoads.add(`${describeRequest(load)} → ${answer} (tried again)`);
      await sleep(200);
    }
  };

  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < planned) {
      const index = next++;
      const request = planRequest({ seed, target, routes }, index);
      if (request.unload !== undefined) {
        await episode(request, request.unload);
      } else {
        await gate.enter(request.models);
        try {
          record(request, await send(target.url, request, timeoutMs));
        } finally {
          gate.leave(request.models);
        }
      }
      if ((index + 1) % 1000 === 0) log(`… ${index + 1} of ${planned} requests planned, ${tally.serverErrors} 5xx so far`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durationMs = performance.now() - started;

  const alive = options.isAlive?.() ?? true;
  const live = await isLive(target.url);
  const models = live ? await checkModels(target, loadedAtStart, timeoutMs) : [];
  const notHit = routes.filter((route) => !tally.byRoute.has(route.key)).map((route) => route.key);
  const passed =
    tally.serverErrors === 0 &&
    problems.count === 0 &&
    transportErrors.count === 0 &&
    alive &&
    live &&
    models.every((model) => model.ok) &&
    notHit.length === 0;
  return {
    seed,
    planned,
    tally,
    durationMs,
    serverErrors,
    problems,
    transportErrors,
    failedLoads,
    episodes,
    slowest: slowest.sort((a, b) => b.ms - a.ms).slice(0, 5),
    routes: { total: routes.length, notHit, notInTable, notServed },
    alive,
    live,
    models,
    passed,
  };
}

/** The route table, plus any route /openapi.json lists that the table lacks (fuzzed too, and reported). */
async function routeTable(url: string): Promise<{ routes: RouteSpec[]; notInTable: string[]; notServed: string[] }> {
  const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
  const { missing, stale } = compareWithOpenApi(ROUTES, document);
  return { routes: [...ROUTES, ...missing.map(discoveredRoute)], notInTable: missing, notServed: stale };
}

function loadRequest(target: FuzzTarget, name: string, index: number): FuzzRequest {
  return {
    index,
    category: "admin",
    route: "POST /v2/repository/models/{name}/load",
    method: "POST",
    path: `/v2/repository/models/${encodeURIComponent(name)}/load`,
    headers: { authorization: `Bearer ${target.adminToken}` },
    models: [],
    note: "load after the unload of an episode",
  };
}
