import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

/** The service running as its own process (`bun src/main.ts`), as users run it. */
export interface ServiceProcess {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  /** Base URL, once it listens. */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Waits until its output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `bun src/main.ts` with `env` (PORT 0: a free port, read back from its log) and waits
 * until it listens.
 *
 * @example
 * const svc = await spawnService({ MODELS_DIR: dir });
 * svc.proc.kill("SIGTERM");
 * expect(await svc.proc.exited).toBe(0);
 */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "src/main.ts")], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: "0", HOST: "127.0.0.1", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${text}`);
      if (proc.exitCode !== null) throw new Error(`the service exited (${proc.exitCode}) before ${pattern}; output:\n${text}`);
      await Bun.sleep(20);
    }
  };
  const service: ServiceProcess = { proc, url: "", output: () => text, waitFor };
  if (env.__NO_WAIT === undefined) {
    await waitFor(/listening on http:\/\/[^:]+:\d+/);
    service.url = `http://127.0.0.1:${/listening on http:\/\/[^:]+:(\d+)/.exec(text)![1]}`;
  }
  return service;
}
