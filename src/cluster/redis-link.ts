import type { Redis } from "ioredis";
import type { Logger } from "../logging/logger.ts";

/** The ioredis client class. */
export type RedisClass = typeof Redis;

/**
 * Loads ioredis, only when cluster mode is on: its `debug` dependency lists the whole environment
 * as it loads, which Deno refuses under the narrow `--allow-env` of a replica on its own.
 */
export async function loadRedisClient(): Promise<RedisClass> {
  return (await import("ioredis")).Redis;
}

/** What a RedisLink is built from. */
export interface RedisLinkOptions {
  url: string;
  log: Logger;
  /** Longest pause between two reconnection attempts, ms. */
  maxRetryDelayMs: number;
  /** A command unanswered this long fails (a Redis that hangs counts as down), ms. */
  commandTimeoutMs: number;
}

/**
 * The replica's connections to Redis (ioredis, which runs on Bun and Deno alike): one for
 * commands and one for the admin log's blocking reads. Commands fail at once while Redis is
 * unreachable (no offline queue: a replica must never wait on Redis to serve a request), and
 * both connections keep reconnecting in the background. `up` says whether the command
 * connection is ready; `onChange` hears when that changes.
 *
 * @example
 * const link = new RedisLink(await loadRedisClient(), { url: "redis://127.0.0.1:6379", log, maxRetryDelayMs: 1000, commandTimeoutMs: 2000 });
 * await link.connect(2000);          // false: Redis is not there (yet); it keeps trying
 * if (link.up) await link.commands.get("key");
 */
export class RedisLink {
  readonly commands: Redis;
  /** For XREAD BLOCK, which holds its connection for the length of the block. */
  readonly blocking: Redis;
  /** Told when the command connection comes up or goes down. */
  onChange: ((up: boolean) => void) | undefined;
  private ready = false;
  private closed = false;

  constructor(Client: RedisClass, options: RedisLinkOptions) {
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(500, options.commandTimeoutMs),
      retryStrategy: (attempt: number) => (this.closed ? null : Math.min(attempt * 100, options.maxRetryDelayMs)),
    };
    this.commands = new Client(options.url, { ...common, commandTimeout: options.commandTimeoutMs });
    this.blocking = new Client(options.url, { ...common, connectionName: "model-cache-admin-log" });
    for (const client of [this.commands, this.blocking]) {
      // Without a listener ioredis prints every failed reconnection; the state is reported once instead.
      client.on("error", (error: Error) => options.log.debug(`Redis: ${error.message}`));
    }
    this.commands.on("ready", () => this.set(true));
    this.commands.on("close", () => this.set(false));
  }

  /** Whether commands can be sent now. */
  get up(): boolean {
    return this.ready;
  }

  /**
   * Starts both connections and waits up to `waitMs` for the command one. Resolves false when
   * Redis did not answer in time; the connections go on trying.
   */
  async connect(waitMs: number): Promise<boolean> {
    const started = (client: Redis) => client.connect().catch(() => undefined);
    void started(this.blocking);
    const first = started(this.commands);
    const deadline = Date.now() + waitMs;
    await Promise.race([first, new Promise((resolve) => setTimeout(resolve, waitMs))]);
    while (!this.ready && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.ready;
  }

  /** Closes both connections for good. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.commands, this.blocking].map((client) => client.quit().catch(() => client.disconnect())));
  }

  private set(up: boolean): void {
    if (this.ready === up) return;
    this.ready = up;
    if (!this.closed) this.onChange?.(up);
  }
}
