import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "./require-tool.ts";

/** Debian's Redis server, which the cluster tests start themselves. */
export const REDIS_SERVER = "/usr/bin/redis-server";

/**
 * Whether the cluster tests can run: prints one skip line without redis-server (and fails
 * instead under `MODEL_CACHE_REQUIRE_TOOLS=1`, as in CI).
 */
export function hasRedis(what: string): boolean {
  return requireTool(REDIS_SERVER, { skipped: what, install: "apt-get install -y redis-server" });
}

/** A Redis server run by a test: a child process on a loopback port, no persistence, in a temporary folder. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kills the server (SIGKILL: everything it held is gone, as after a crash without persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port (or `port`) with `--save "" --appendonly no` in a temporary
 * folder, and waits until it answers PING. Never a system service.
 *
 * @example
 * const redis = await startRedis();
 * // … CLUSTER_REDIS_URL: redis.url …
 * await redis.stop();
 */
export async function startRedis(port?: number): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), "model-cache-redis-"));
  port ??= await freePort();
  let proc: Bun.Subprocess | undefined;
  const launch = async () => {
    proc = Bun.spawn([REDIS_SERVER, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "yes"], {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    await waitForPing(port);
  };
  const kill = async () => {
    proc?.kill("SIGKILL");
    await proc?.exited;
    proc = undefined;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        let text = "";
        Bun.connect({
          hostname: "127.0.0.1",
          port,
          socket: {
            open: (socket) => void socket.write("PING\r\n"),
            data: (socket, data) => {
              text += new TextDecoder().decode(data);
              socket.end();
              resolve(text);
            },
            error: (_socket, error) => reject(error),
            connectError: (_socket, error) => reject(error),
          },
        }).catch(reject);
      });
      if (answer.startsWith("+PONG")) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 20 s`);
    await Bun.sleep(50);
  }
}
