import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { runtime } from "#runtime";
import { serviceCommand } from "../../scripts/lib/service-process.ts";
import { REPO_ROOT } from "./paths.ts";

/** The process, as the tests drive it. */
export interface ServiceChild {
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** The exit code once it exited, null before (or when a signal ended it). */
  readonly exitCode: number | null;
}

/**
 * The service running as its own process, as users run it: `bun src/main.ts` under Bun,
 * `npm run start:deno` (its narrow permissions) under Deno.
 */
export interface ServiceProcess {
  proc: ServiceChild;
  /** Base URL, once it listens. */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Waits until its output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * Starts the service on the runtime running the tests with `env` (PORT 0: a free port, read back
 * from its log) and waits until it listens.
 *
 * @example
 * const svc = await spawnService({ MODELS_DIR: dir });
 * svc.proc.kill("SIGTERM");
 * expect(await svc.proc.exited).toBe(0);
 */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const [command, ...args] = serviceCommand(runtime.name) as [string, ...string[]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  let exitCode: number | null = null;
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      ended = true;
      resolve(code);
    }),
  );
  const proc: ServiceChild = {
    // process.kill, not child.kill: after child.kill, Deno's node:child_process reports the
    // signal as the cause of the exit even when the process handled it and exited 0.
    kill: (signal = "SIGTERM") => {
      if (!ended && child.pid !== undefined) process.kill(child.pid, signal);
    },
    exited,
    get exitCode() {
      return exitCode;
    },
  };
  // Starting a process and loading its models on a busy 2-core machine: a minute is no hang.
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${text}`);
      if (ended) throw new Error(`the service exited (${exitCode}) before ${pattern}; output:\n${text}`);
      await sleep(20);
    }
  };
  const service: ServiceProcess = { proc, url: "", output: () => text, waitFor };
  if (env.__NO_WAIT === undefined) {
    // A service that never says it listens is killed here: no test is left holding it.
    await waitFor(/listening on http:\/\/[^:]+:\d+/).catch(async (error: unknown) => {
      proc.kill("SIGKILL");
      await exited;
      throw error;
    });
    service.url = `http://127.0.0.1:${/listening on http:\/\/[^:]+:(\d+)/.exec(text)![1]}`;
  }
  return service;
}
