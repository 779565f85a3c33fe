/**
 * The service as a separate process (`bun src/main.ts`), so that a crash shows as a dead
 * process rather than taking the fuzzer down with it.
 */
import { createServer } from "node:net";
import { join } from "node:path";
import type { Subprocess } from "bun";

/** A started service process. */
export interface ServiceProcess {
  url: string;
  /** Its process id. */
  pid: number;
  /** True while the process runs. */
  alive(): boolean;
  /** The last lines it wrote (stdout and stderr). */
  output(): string[];
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and waits for the exit. */
  stop(): Promise<number | null>;
}

const REPO_ROOT = join(import.meta.dir, "../..");

/**
 * Starts `bun src/main.ts` with `env` on a free port and waits until /v2/health/ready answers 200.
 *
 * @example
 * const service = await startServiceProcess({ MODELS_DIR: dir, ADMIN_TOKEN: token, LOG_LEVEL: "warn" });
 */
export async function startServiceProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<ServiceProcess> {
  const port = await freePort();
  const lines: string[] = [];
  const child: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn([process.execPath, "src/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  void collect(child.stdout, lines);
  void collect(child.stderr, lines);
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    url,
    pid: child.pid,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => lines.slice(-200),
    stop: async () => {
      if (service.alive()) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await child.exited;
        clearTimeout(killer);
      }
      return child.exitCode;
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (!service.alive()) throw new Error(`The service exited during start (code ${child.exitCode}):\n${lines.join("\n")}`);
    const ready = await fetch(`${url}/v2/health/ready`).then((response) => response.status === 200, () => false);
    if (ready) return service;
    await Bun.sleep(200);
  }
  await service.stop();
  throw new Error(`The service was not ready within ${readyTimeoutMs} ms:\n${lines.join("\n")}`);
}

async function collect(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    const parts = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length > 2000) lines.splice(0, lines.length - 1000);
  }
  if (rest !== "") lines.push(rest);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
