import type { RedisLink } from "./redis-link.ts";
import type { ClusterKeys } from "./cluster-keys.ts";
import { parseReplicaRecord, type ReplicaRecord } from "./replica-record.ts";

/** Removes from the set (last key) each id (ARGV) whose record (KEYS before it) does not exist. */
const PRUNE = `for i = 1, #ARGV do if redis.call('EXISTS', KEYS[i]) == 0 then redis.call('SREM', KEYS[#KEYS], ARGV[i]) end end return 0`;

/**
 * Membership through Redis: each replica sets its record under a key that expires
 * (`CLUSTER_EXPIRY_MS`) and renews it at every heartbeat; the live replicas are exactly the
 * records Redis still holds. A replica killed with SIGKILL stops renewing and is gone when its
 * key expires — Redis's clock decides, so clock skew between replicas does not matter.
 *
 * @example
 * const members = new Membership(link, keys, 5000);
 * await members.beat(record);
 * const live = await members.read();
 */
export class Membership {
  constructor(
    private readonly link: RedisLink,
    private readonly keys: ClusterKeys,
    private readonly expiryMs: number,
  ) {}

  /** Writes (or renews) this replica's record. Throws when Redis is unreachable. */
  async beat(record: ReplicaRecord): Promise<void> {
    await this.link.commands
      .multi()
      .set(this.keys.replica(record.id), JSON.stringify(record), "PX", this.expiryMs)
      .sadd(this.keys.replicas, record.id)
      .exec();
  }

  /** The record stored for `id`, if it is alive. */
  async get(id: string): Promise<ReplicaRecord | undefined> {
    return parseReplicaRecord(await this.link.commands.get(this.keys.replica(id)));
  }

  /** Every live replica's record, sorted by id. Ids whose record expired are pruned from the set. */
  async read(): Promise<ReplicaRecord[]> {
    const ids = (await this.link.commands.smembers(this.keys.replicas)).sort();
    if (ids.length === 0) return [];
    const texts = await this.link.commands.mget(ids.map((id) => this.keys.replica(id)));
    const live: ReplicaRecord[] = [];
    const gone: string[] = [];
    ids.forEach((id, index) => {
      const record = parseReplicaRecord(texts[index] ?? null);
      if (record === undefined) gone.push(id);
      else live.push(record);
    });
    // Only ids whose record is still missing: one renewed meanwhile stays listed.
    if (gone.length > 0) await this.link.commands.eval(PRUNE, gone.length + 1, ...gone.map((id) => this.keys.replica(id)), this.keys.replicas, ...gone);
    return live;
  }

  /** Removes this replica's record at once (a graceful stop: its models are placed elsewhere now, not after the expiry). */
  async leave(id: string): Promise<void> {
    await this.link.commands.multi().del(this.keys.replica(id)).srem(this.keys.replicas, id).exec();
  }
}
