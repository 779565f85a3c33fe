/** Runs one benchmark row: start the server, warm it up, load it at each concurrency, stop it. */
import { freePort } from "../lib/service-process.ts";
import type { BenchRow, HttpRow, InProcessRow } from "./rows.ts";
import { ServerProcess } from "./server-process.ts";
import { runWrk } from "./wrk.ts";

/** One concurrency level of one row. */
export interface LevelResult {
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Resident memory of the server's process tree 1 s after this level, bytes. */
  rssBytes: number;
  /** Proportional memory of the same processes (shared pages divided among them), bytes. */
  pssBytes: number;
}

/** Everything measured for one row. */
export interface RowResult {
  label: string;
  readyMs: number;
  levels: LevelResult[];
}

/** How long and how hard to drive each row. */
export interface RunPlan {
  connections: number[];
  seconds: number;
  warmupSeconds: number;
}

/** How long after a load level its server's memory is read. */
const RSS_SETTLE_MS = 1000;

/** Runs a row and returns its figures. */
export function runRow(row: BenchRow, plan: RunPlan): Promise<RowResult> {
  return row.kind === "http" ? runHttpRow(row, plan) : runInProcessRow(row, plan);
}

async function runHttpRow(row: HttpRow, plan: RunPlan): Promise<RowResult> {
  const server = await ServerProcess.start(row.command, await freePort());
  try {
    const url = `http://127.0.0.1:${server.port}${row.path}`;
    if (plan.warmupSeconds > 0) await runWrk(url, row.bodies, 1, plan.warmupSeconds);
    const levels: LevelResult[] = [];
    for (const connections of plan.connections) {
      // wrk stops without waiting for the answers in flight: let the server finish them first,
      // so that no level pays for the previous one's backlog.
      await drain(url, row.bodies);
      const result = await runWrk(url, row.bodies, connections, plan.seconds);
      // Resident memory a moment after the load, once the answers still in flight are done.
      await drain(url, row.bodies);
      await Bun.sleep(RSS_SETTLE_MS);
      levels.push({
        connections,
        reqPerSec: result.requests / result.seconds,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        errors: result.errors,
        rssBytes: server.rss(),
        pssBytes: server.pss(),
      });
    }
    return { label: row.label, readyMs: server.readyMs, levels };
  } finally {
    await server.stop();
  }
}

async function runInProcessRow(row: InProcessRow, plan: RunPlan): Promise<RowResult> {
  const child = Bun.spawn(row.argv, {
    env: { ...process.env, ...row.env, DURATION_S: String(plan.seconds), CONNECTIONS: plan.connections.join(",") },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, out, err] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const lines = out.split("\n");
  const ready = lines.find((line) => line.startsWith("READY "));
  if (code !== 0 || ready === undefined) throw new Error(`${row.label} failed (exit ${code}): ${err || out}`);
  const levels = lines
    .filter((line) => line.startsWith("LIMIT_RESULT "))
    .map((line) => JSON.parse(line.slice("LIMIT_RESULT ".length)) as { connections: number; requests: number; seconds: number; p50_ms: number; p99_ms: number; rss: number; pss: number })
    .map((r) => ({ connections: r.connections, reqPerSec: r.requests / r.seconds, p50Ms: r.p50_ms, p99Ms: r.p99_ms, errors: 0, rssBytes: r.rss, pssBytes: r.pss }));
  return { label: row.label, readyMs: Number(ready.slice("READY ".length)), levels };
}

/** One request, answered: a server that answers in order has finished everything before it. */
async function drain(url: string, bodiesFile: string): Promise<void> {
  const body = (await Bun.file(bodiesFile).text()).split("\n")[0]!;
  await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json" }, signal: AbortSignal.timeout(300_000) });
}
