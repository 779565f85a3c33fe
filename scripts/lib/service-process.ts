/**
 * The service as a separate process, on Bun (`bun src/main.ts`) or on Deno (scripts/deno/start.sh,
 * with its narrow permissions), as users run it. A crash shows as a dead process rather than
 * taking the caller down with it. Portable: scripts running on either runtime can start either.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { runtime } from "#runtime";

/** The runtimes the service runs on. */
export type RuntimeName = "bun" | "deno";

/** A started service process. */
export interface ServiceProcess {
  url: string;
  runtime: RuntimeName;
  /** Its process id. */
  pid: number;
  /** True while the process runs. */
  alive(): boolean;
  /** The last lines it wrote (stdout and stderr). */
  output(): string[];
  /** Resolves with the exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void;
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and waits for the exit. */
  stop(): Promise<number | null>;
}

/** Options of {@link startServiceProcess}. */
export interface StartOptions {
  /** Default: the runtime running the caller. */
  runtime?: RuntimeName;
  /** What to wait for: the server listening (`/v2/health/live`) or every model loaded (`/v2/health/ready`, the default). */
  until?: "live" | "ready";
  timeoutMs?: number;
}

const REPO_ROOT = join(import.meta.dirname, "../..");

/** The command that starts the service on `name`, from the repository's root. */
export function serviceCommand(name: RuntimeName): string[] {
  if (name === "deno") return ["sh", join(REPO_ROOT, "scripts/deno/start.sh")];
  const bun = runtime.name === "bun" ? process.execPath : join(REPO_ROOT, "node_modules/.bin/bun");
  return [bun, join(REPO_ROOT, "src/main.ts")];
}

/**
 * Starts the service with `env` on a free port and waits until it is live or ready.
 *
 * @example
 * const service = await startServiceProcess({ MODELS_DIR: dir, ADMIN_TOKEN: token, LOG_LEVEL: "warn" }, { runtime: "deno" });
 */
export async function startServiceProcess(env: Record<string, string>, options: StartOptions = {}): Promise<ServiceProcess> {
  const which = options.runtime ?? runtime.name;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const port = await freePort();
  const lines: string[] = [];
  const [command, ...args] = serviceCommand(which) as [string, ...string[]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  collect(child.stdout, lines);
  collect(child.stderr, lines);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  // process.kill, not child.kill: after child.kill, Deno's node:child_process reports the
  // signal as the cause of the exit even when the process handled it and exited 0.
  const sendSignal = (signal: NodeJS.Signals) => {
    if (exitCode === undefined && child.pid !== undefined) process.kill(child.pid, signal);
  };
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    url,
    runtime: which,
    pid: child.pid ?? -1,
    alive: () => exitCode === undefined,
    output: () => lines.slice(-200),
    exited,
    kill: (signal) => sendSignal(signal),
    stop: async () => {
      if (service.alive()) {
        sendSignal("SIGTERM");
        const killer = setTimeout(() => sendSignal("SIGKILL"), 10_000);
        await exited;
        clearTimeout(killer);
      }
      return exited;
    },
  };
  try {
    await waitForStatus(service, options.until === "live" ? "/v2/health/live" : "/v2/health/ready", timeoutMs);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** Polls `path` until it answers 200; fails when the process exits or the time is up. */
export async function waitForStatus(service: ServiceProcess, path: string, timeoutMs: number, intervalMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!service.alive()) throw new Error(`The service (${service.runtime}) exited during start (code ${await service.exited}):\n${service.output().join("\n")}`);
    const ok = await fetch(`${service.url}${path}`).then(
      async (response) => (await response.arrayBuffer(), response.status === 200),
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`The service (${service.runtime}) did not answer 200 on ${path} within ${timeoutMs} ms:\n${service.output().join("\n")}`);
}

function collect(stream: NodeJS.ReadableStream, lines: string[]): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length > 2000) lines.splice(0, lines.length - 1000);
  });
  stream.on("end", () => {
    if (rest !== "") lines.push(rest);
  });
}

/** A TCP port free right now on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
