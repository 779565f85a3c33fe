import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../scripts/lib/service-process.ts";
import { requireTool } from "./require-tool.ts";

export { freePort };

/**
 * The gate of the cluster tests: Debian's `redis-server`, which they start themselves. Without it
 * their tests skip (one summary line); under `MODEL_CACHE_REQUIRE_TOOLS=1`, as in CI, they fail.
 */
export const redisServer = requireTool("redis-server");

/** The Redis server executable the tests start. */
export const REDIS_SERVER = redisServer.path ?? "/usr/bin/redis-server";

/** A Redis server run by a test: a child process on a loopback port, no persistence, in a temporary folder. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kills the server (SIGKILL: everything it held is gone, as after a crash without persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and commands go unanswered, as when Redis hangs. */
  pause(): void;
  /** Wakes a frozen server (SIGCONT): it answers what it was sent meanwhile. */
  resume(): void;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port (or `port`) with `--save "" --appendonly no` in a
 * temporary folder, and waits until it answers PING. Never a system service.
 *
 * @example
 * const redis = await startRedis();
 * // … CLUSTER_REDIS_URL: redis.url …
 * await redis.stop();
 */
export async function startRedis(port?: number): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), "model-cache-redis-"));
  const chosen = port ?? (await freePort());
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const launch = async () => {
    const args = ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "yes"];
    child = spawn(REDIS_SERVER, args, { stdio: "ignore" });
    exited = new Promise((resolve) => child!.once("exit", resolve));
    await waitForPing(chosen);
  };
  /** Sends `name` to the server while it runs. */
  const signal = (name: NodeJS.Signals) => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, name);
  };
  const kill = async () => {
    signal("SIGKILL");
    await exited;
    child = undefined;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    kill,
    restart: launch,
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PING until the server answers PONG (20 s at most). */
async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
      socket.setEncoding("utf8");
      socket.once("data", (data: string) => {
        socket.destroy();
        resolve(data);
      });
      socket.once("error", () => resolve(""));
    });
    if (answer.startsWith("+PONG")) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 20 s`);
    await sleep(50);
  }
}
