/**
 * A server under test as a child process on loopback: started, waited for until its readiness
 * URL answers 200 (the time to ready), measured (resident memory of its process tree) and stopped.
 */
import type { Subprocess } from "bun";
import { treePss, treeRss } from "./process-tree.ts";

/** How to start one server. */
export interface ServerCommand {
  argv: string[];
  env: Record<string, string>;
  /** Path that answers 200 once the model is loaded. */
  readyPath: string;
}

/** A started server. */
export class ServerProcess {
  private constructor(
    private readonly child: Subprocess<"ignore", "pipe", "pipe">,
    readonly port: number,
    /** Milliseconds from spawn to the first 200 from the readiness path. */
    readonly readyMs: number,
  ) {}

  /** Spawns the server on `port` and waits (up to `timeoutMs`) until it is ready. */
  static async start(command: ServerCommand, port: number, timeoutMs = 300_000): Promise<ServerProcess> {
    const started = performance.now();
    const child = Bun.spawn(command.argv, {
      env: { ...process.env, ...command.env, PORT: String(port) },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    let output = "";
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) output = (output + decoder.decode(chunk, { stream: true })).slice(-20_000);
    };
    void drain(child.stdout);
    void drain(child.stderr);
    const url = `http://127.0.0.1:${port}${command.readyPath}`;
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`${command.argv.join(" ")} exited with ${child.exitCode}:\n${output}`);
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) return new ServerProcess(child, port, performance.now() - started);
      await Bun.sleep(20);
    }
    child.kill("SIGKILL");
    throw new Error(`${command.argv.join(" ")} was not ready within ${timeoutMs} ms:\n${output}`);
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Resident memory of the server and every process it started, bytes. */
  rss(): number {
    return treeRss(this.child.pid);
  }

  /** Proportional memory of the server and every process it started, bytes (see processPss). */
  pss(): number {
    return treePss(this.child.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.child.exited;
    clearTimeout(timer);
  }
}
