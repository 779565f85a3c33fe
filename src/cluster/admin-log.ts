import type { Logger } from "../logging/logger.ts";
import type { ClusterKeys } from "./cluster-keys.ts";
import type { RedisLink } from "./redis-link.ts";
import { compareStreamIds, parseAdminEntry, type AdminEntry, type AdminOp, type ReplicaOutcome } from "./admin-entry.ts";

/** Entries kept in the log (about: Redis trims whole nodes); a replica further behind resynchronises. */
const LOG_LENGTH = 10_000;
/** How long a replica's position is kept after its last entry (a replica gone longer starts afresh). */
const POSITION_TTL_MS = 7 * 24 * 3600 * 1000;
/** How long outcomes are kept for the replica that waits for them. */
const OUTCOME_TTL_MS = 3600 * 1000;
/** Longest block of one read: also how soon a stop is noticed. */
const BLOCK_MS = 1000;

/**
 * The durable admin log: a Redis stream of reload, load and unload operations. Every replica
 * reads it in order from its own position, which it stores in Redis after each entry, so a
 * replica that was down (or cut off from Redis) applies what it missed when it returns — not
 * only what is published while it listens, as pub/sub would. Each replica writes its outcome of
 * each entry back, for the replica that took the request.
 *
 * @example
 * const log = new AdminLog(link, keys, "pod-a", logger);
 * const id = await log.publish("reload", ["iris"], "pod-a");
 * void log.run(async (entry) => apply(entry));
 */
export class AdminLog {
  private position = "0-0";
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly keys: ClusterKeys,
    private readonly replicaId: string,
    private readonly log: Logger,
  ) {}

  /**
   * Appends an operation; resolves to its entry id. A load, reload or unload that names models
   * also takes them out of (or, an unload, adds them to) the models unloaded on purpose, in the
   * same transaction: both happen, or neither. Throws when Redis is unreachable.
   */
  async publish(op: AdminOp, models: string[] | undefined, origin: string): Promise<string> {
    const transaction = this.link.commands.multi();
    if (models !== undefined && models.length > 0) {
      if (op === "unload") transaction.sadd(this.keys.unloaded, ...models);
      else transaction.srem(this.keys.unloaded, ...models);
    }
    transaction.xadd(this.keys.admin, "MAXLEN", "~", String(LOG_LENGTH), "*", "op", op, "models", JSON.stringify(models ?? null), "origin", origin, "at", String(Date.now()));
    const results = await transaction.exec();
    const [error, id] = results?.at(-1) ?? [new Error("the transaction was discarded"), null];
    if (error !== null) throw error;
    return id as string;
  }

  /** The outcomes written so far for an entry, by replica id. */
  async outcomes(entryId: string): Promise<Map<string, ReplicaOutcome>> {
    const raw = await this.link.commands.hgetall(this.keys.outcome(entryId));
    const outcomes = new Map<string, ReplicaOutcome>();
    for (const [replica, text] of Object.entries(raw)) {
      try {
        outcomes.set(replica, JSON.parse(text) as ReplicaOutcome);
      } catch {
        // A damaged outcome counts as none: the waiting replica reports a time-out.
      }
    }
    return outcomes;
  }

  /**
   * Finds where this replica resumes: its stored position, or (a new replica, or one gone longer
   * than its position is kept) the end of the log. `gap` is true when entries after the position
   * were trimmed away before it could read them.
   */
  async resume(): Promise<{ position: string; gap: boolean }> {
    const commands = this.link.commands;
    const stored = await commands.get(this.keys.position(this.replicaId));
    if (stored === null) {
      const last = (await commands.xrevrange(this.keys.admin, "+", "-", "COUNT", 1))[0]?.[0];
      this.position = last ?? "0-0";
      return { position: this.position, gap: false };
    }
    this.position = stored;
    let deleted = "0-0";
    try {
      const info = (await commands.call("XINFO", "STREAM", this.keys.admin)) as unknown[];
      const at = info.indexOf("max-deleted-entry-id");
      if (at >= 0) deleted = String(info[at + 1]);
    } catch {
      // No stream yet (a Redis that lost its data): nothing was trimmed.
    }
    return { position: stored, gap: compareStreamIds(deleted, stored) > 0 };
  }

  /**
   * Reads and applies entries in order, one at a time, until `stop()`. After each, the outcome
   * and the new position are written to Redis. While Redis is unreachable it waits and retries
   * from the position it holds in memory.
   */
  run(apply: (entry: AdminEntry) => Promise<ReplicaOutcome>, retryMs: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let batch: [string, [string, string[]][]][] | null;
        try {
          batch = (await this.link.blocking.xread("COUNT", 16, "BLOCK", BLOCK_MS, "STREAMS", this.keys.admin, this.position)) as typeof batch;
        } catch (error) {
          if (this.running) this.log.debug(`Admin log: read failed (${error instanceof Error ? error.message : String(error)})`);
          await new Promise((resolve) => setTimeout(resolve, retryMs));
          continue;
        }
        for (const [id, fields] of batch?.[0]?.[1] ?? []) {
          if (!this.running) return;
          const entry = parseAdminEntry(id, fields);
          if (entry !== undefined) await this.finish(entry, await apply(entry));
          this.position = id;
          await this.link.commands.set(this.keys.position(this.replicaId), id, "PX", POSITION_TTL_MS).catch(() => undefined);
        }
      }
    })();
  }

  /** Stops reading (an entry being applied is finished first). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async finish(entry: AdminEntry, outcome: ReplicaOutcome): Promise<void> {
    const key = this.keys.outcome(entry.id);
    await this.link.commands
      .multi()
      .hset(key, this.replicaId, JSON.stringify(outcome))
      .pexpire(key, OUTCOME_TTL_MS)
      .exec()
      .catch((error: Error) => this.log.warn(`Admin log: the outcome of ${entry.op} ${entry.id} could not be written (${error.message})`));
  }
}
