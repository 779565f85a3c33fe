/** Runs wrk (Debian package `wrk`) with scripts/bench/wrk/cycle-bodies.lua and reads its summary. */
import { join } from "node:path";

/** What one wrk run measured. */
export interface LoadResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection, read, write and time-out errors plus non-2xx/3xx answers. */
  errors: number;
}

const SCRIPT = join(import.meta.dir, "wrk", "cycle-bodies.lua");

/** True when `wrk` is on PATH. */
export function hasWrk(): boolean {
  return Bun.which("wrk") !== null;
}

/** Drives `url` with `connections` connections for `seconds`, POSTing the bodies in `bodiesFile`. */
export async function runWrk(url: string, bodiesFile: string, connections: number, seconds: number): Promise<LoadResult> {
  const args = ["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "60s", "-s", SCRIPT, url, "--", bodiesFile];
  const child = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const line = out.split("\n").find((text) => text.startsWith("WRK_RESULT "));
  if (code !== 0 || line === undefined) throw new Error(`wrk failed (exit ${code}): ${err || out}`);
  const r = JSON.parse(line.slice("WRK_RESULT ".length)) as Record<string, number>;
  return {
    requests: r.requests!,
    seconds: r.duration_us! / 1e6,
    p50Ms: r.p50_us! / 1000,
    p99Ms: r.p99_us! / 1000,
    errors: r.connect_errors! + r.read_errors! + r.write_errors! + r.status_errors! + r.timeouts!,
  };
}
