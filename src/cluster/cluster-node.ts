import { randomUUID } from "node:crypto";
import type { ModelCache } from "../cache/model-cache.ts";
import type { ModelSpec } from "../cache/model-types.ts";
import type { ClusterConfig } from "../config/cluster-config.ts";
import type { Logger } from "../logging/logger.ts";
import { AdminLog } from "./admin-log.ts";
import { applyAdminEntry } from "./admin-applier.ts";
import { clusterKeys, type ClusterKeys } from "./cluster-keys.ts";
import { Membership } from "./membership.ts";
import { Placement } from "./placement.ts";
import { planPlacement, type ModelPlacement } from "./placement-plan.ts";
import { RedisLink, type RedisClass } from "./redis-link.ts";
import { describeReplica, joiningRecord, type ReplicaIdentity } from "./replica-state.ts";
import type { ReplicaRecord } from "./replica-record.ts";
import { RequestRate } from "./request-rate.ts";

/** The cluster as this replica last read it from Redis. */
export interface ClusterSnapshot {
  replicas: ReplicaRecord[];
  unloaded: Set<string>;
  /** Unix ms of the read. */
  readAt: number;
}

/** Model types placement leaves alone: each replica keeps its own. */
const LOCAL_TYPES = new Set(["lexicon", "custom"]);

/**
 * One replica's membership of the cluster: its connection to Redis, its heartbeat, the view of
 * the others it reads back at each beat, the placement loop and the admin log reader. Built by
 * the composition root only when `CLUSTER_REDIS_URL` is set; it wraps the cache from outside.
 *
 * While Redis is unreachable the replica is "degraded": it goes on serving what it holds (and
 * forwards with the last view it read), cluster-wide admin is refused, and nothing is placed or
 * dropped. When Redis answers again the next beat re-registers the replica, the admin log reader
 * goes on from its position, and placement resumes: that is the resynchronisation.
 *
 * @example
 * const node = new ClusterNode(config.cluster, log, await loadRedisClient());
 * const placedHere = await node.join(discovery.specs, budgetBytes); // before the first load
 * node.attach(cache, deferred);
 * node.start(port);
 * await node.stop();
 */
export class ClusterNode {
  readonly keys: ClusterKeys;
  readonly link: RedisLink;
  readonly membership: Membership;
  readonly adminLog: AdminLog;
  /** Requests each model served here: the input of scale-up. */
  readonly rate = new RequestRate();
  readonly identity: ReplicaIdentity;
  private cacheRef: ModelCache | undefined;
  private placement: Placement | undefined;
  private deferred: ReadonlySet<string> = new Set();
  private snapshot: ClusterSnapshot | undefined;
  private redisRunId: string | undefined;
  private downSince: number | undefined;
  private running = false;
  private beating: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private leavingFlag = false;
  /** Placement waits until then after Redis comes back, so that every replica has re-registered first. */
  private settleUntil = 0;

  constructor(
    readonly config: ClusterConfig,
    private readonly log: Logger,
    client: RedisClass,
  ) {
    this.keys = clusterKeys(config.name);
    // A second at least: on a busy machine 200 ms failed heartbeats and reads that Redis answered
    // moments later, and each failure left a decision to an older view.
    this.link = new RedisLink(client, { url: config.redisUrl, log, maxRetryDelayMs: config.heartbeatMs, commandTimeoutMs: Math.max(1000, config.heartbeatMs) });
    this.membership = new Membership(this.link, this.keys, config.expiryMs);
    this.adminLog = new AdminLog(this.link, this.keys, config.replicaId, log);
    this.identity = { id: config.replicaId, address: config.advertiseUrl ?? "", instance: randomUUID(), startedAt: Date.now() / 1000 };
    this.link.onChange = (up) => {
      if (up) {
        if (this.downSince !== undefined) log.info(`Cluster: Redis is reachable again after ${Math.round((Date.now() - this.downSince) / 1000)} s; resynchronising`);
        this.downSince = undefined;
        this.settleUntil = Date.now() + config.expiryMs;
        this.wake?.();
      } else if (this.downSince === undefined) {
        this.downSince = Date.now();
        log.warn("Cluster: Redis is unreachable; serving the models held here until it returns (cluster-wide admin is refused meanwhile)");
      }
    };
  }

  /** This replica's id. */
  get id(): string {
    return this.config.replicaId;
  }

  /** Whether Redis answers now. */
  get redisUp(): boolean {
    return this.link.up;
  }

  /** Unix ms since when Redis is unreachable, if it is. */
  get redisDownSince(): number | undefined {
    return this.link.up ? undefined : (this.downSince ?? Date.now());
  }

  /** True once the replica started leaving (a graceful stop): it takes no forwarded requests. */
  get leaving(): boolean {
    return this.leavingFlag;
  }

  /** The cache this node serves (after `attach`). */
  get cache(): ModelCache {
    if (this.cacheRef === undefined) throw new Error("ClusterNode.attach(cache) was not called");
    return this.cacheRef;
  }

  /** The last view read from Redis (kept while Redis is unreachable). */
  get lastSnapshot(): ClusterSnapshot | undefined {
    return this.snapshot;
  }

  /**
   * Joins before the first load: connects (waiting up to the expiry), announces this replica with
   * nothing held yet, waits one heartbeat so that replicas starting together see each other, and
   * returns the models placement gives this replica out of `specs`. `undefined` when Redis did not
   * answer: the replica then loads everything, as a replica on its own would.
   */
  async join(specs: readonly ModelSpec[], budgetBytes: number | null): Promise<Set<string> | undefined> {
    const { config, log } = this;
    if (!(await this.link.connect(Math.min(config.expiryMs, 5000)))) {
      this.downSince = Date.now();
      log.warn(`Cluster: Redis is unreachable at start; loading every model as a replica on its own would, until it returns`);
      return undefined;
    }
    try {
      this.redisRunId = await this.runId();
      const previous = await this.membership.get(this.id);
      if (previous !== undefined && previous.address !== this.identity.address && this.identity.address !== "") {
        log.warn(`Cluster: replica id "${this.id}" was last seen at ${previous.address}; ids must be unique (CLUSTER_REPLICA_ID)`);
      }
      const placeable = specs.filter((spec) => !LOCAL_TYPES.has(spec.modelType));
      const catalogue = placeable.map((spec) => ({
        name: spec.name,
        model: spec.group ?? spec.name,
        version: spec.version,
        size_bytes: spec.sizeBytes ?? null,
        copies: spec.copies ?? null,
        wanted: spec.preload || spec.required,
        required: spec.required,
      }));
      await this.membership.beat(joiningRecord(this.identity, catalogue, budgetBytes));
      const { position, gap } = await this.adminLog.resume();
      // What the lost entries did is still in force: placement reads the models unloaded on purpose from their own set.
      if (gap) log.warn(`Cluster: admin log entries after ${position} were trimmed before this replica read them; placement and the set of models unloaded on purpose bring it in line`);
      await new Promise((resolve) => setTimeout(resolve, config.heartbeatMs));
      const snapshot = await this.read();
      const plan = planPlacement({ replicas: snapshot.replicas, unloaded: snapshot.unloaded, scaleUpRpm: config.scaleUpRpm });
      const mine = new Set(placeable.filter((spec) => plan.get(spec.name)?.target.includes(this.id)).map((spec) => spec.name));
      // Models placement leaves alone (the lexicon) load as they would on a replica on its own.
      for (const spec of specs) if (LOCAL_TYPES.has(spec.modelType)) mine.add(spec.name);
      const live = `${snapshot.replicas.length} live ${snapshot.replicas.length === 1 ? "replica" : "replicas"}`;
      log.info(`Cluster: joined "${config.name}" as ${this.id} with ${live}; holding ${[...mine].sort().join(", ") || "nothing"} to start`);
      return mine;
    } catch (error) {
      log.warn(`Cluster: joining failed (${error instanceof Error ? error.message : String(error)}); loading every model for now`);
      return undefined;
    }
  }

  /** Hands over the cache (built after `join`); `deferred` are the models it would have preloaded but placement put elsewhere. */
  attach(cache: ModelCache, deferred: ReadonlySet<string>): void {
    this.cacheRef = cache;
    this.deferred = deferred;
    this.placement = new Placement({
      replicaId: this.id,
      cache,
      log: this.log,
      scaleDownMs: this.config.scaleDownMs,
      heartbeatMs: this.config.heartbeatMs,
      lock: async (model) => (await this.link.commands.set(this.keys.dropLock(model), this.id, "PX", this.config.heartbeatMs * 4 + 30_000, "NX")) === "OK",
      unlock: async (model) => void (await this.link.commands.eval(UNLOCK, 1, this.keys.dropLock(model), this.id)),
      freshPlan: async () => this.plan(await this.read()),
      beatNow: () => this.beat(),
      newModelWaitMs: this.config.expiryMs,
    });
  }

  /**
   * Starts the heartbeat (and with it placement) and the admin log reader. `port` is the one the
   * server listens on, for the default advertised address.
   */
  start(port: number, host: string, hostName: string): void {
    if (this.identity.address === "") {
      const reachable = host === "0.0.0.0" || host === "::" || host === "" ? hostName : host.includes(":") ? `[${host}]` : host;
      this.identity.address = `http://${reachable}:${port}`;
    }
    this.running = true;
    this.beating = this.beatLoop();
    const startedAtMs = this.identity.startedAt * 1000;
    this.adminLog.run(
      (entry) =>
        applyAdminEntry(entry, {
          replicaId: this.id,
          cache: this.cache,
          startedAtMs,
          placedHere: (name) => this.placedHere(name),
        }),
      this.config.heartbeatMs,
    );
  }

  /**
   * Whether placement gives this replica a copy of `name`, counting it as wanted (an admin load,
   * a changed file) and giving the replicas where it failed a fresh try (its files may be fixed).
   * Without any view of the cluster (Redis down since start): yes.
   */
  async placedHere(name: string): Promise<boolean> {
    const snapshot = this.link.up ? await this.read().catch(() => this.snapshot) : this.snapshot;
    if (snapshot === undefined) return true;
    // Not unloaded on purpose: a load or reload by name took it out of that set before it was
    // logged (and a model that failed here was loaded since). A view read earlier, kept when the
    // read above fails, may still list it there.
    const unloaded = new Set(snapshot.unloaded);
    unloaded.delete(name);
    const replicas = snapshot.replicas.map((replica) => ({
      ...replica,
      models: replica.models.map((model) => (model.name === name && model.status === "failed" ? { ...model, status: "unloaded" as const } : model)),
    }));
    return this.plan({ ...snapshot, replicas, unloaded }, new Set([name])).get(name)?.target.includes(this.id) ?? true;
  }

  /** Leaves the cluster at once (others place its models now), then stops beating and reading. */
  async stop(): Promise<void> {
    this.leavingFlag = true;
    this.running = false;
    this.wake?.();
    await this.beating;
    if (this.link.up) await this.membership.leave(this.id).catch(() => undefined);
    await this.adminLog.stop();
    await this.link.close();
  }

  /** The plan for a snapshot (models in `wanted` placed even if nothing asked for them yet). */
  plan(snapshot: ClusterSnapshot, wanted?: ReadonlySet<string>): Map<string, ModelPlacement> {
    return planPlacement({ replicas: snapshot.replicas, unloaded: snapshot.unloaded, scaleUpRpm: this.config.scaleUpRpm, ...(wanted !== undefined && { wanted }) });
  }

  /** Reads the live records and the models unloaded on purpose, and keeps them as the last view. */
  async read(): Promise<ClusterSnapshot> {
    const [replicas, unloaded] = await Promise.all([this.membership.read(), this.link.commands.smembers(this.keys.unloaded)]);
    this.snapshot = { replicas, unloaded: new Set(unloaded), readAt: Date.now() };
    return this.snapshot;
  }

  /** This replica's record now. */
  record(): ReplicaRecord {
    const record = describeReplica(this.identity, this.cache, this.rate, this.deferred);
    const draining = this.placement?.draining;
    if (draining !== undefined && draining.size > 0) {
      for (const model of record.models) if (draining.has(model.name)) model.status = "unloaded";
    }
    if (this.leavingFlag) for (const model of record.models) model.status = "unloaded";
    return record;
  }

  private async beat(): Promise<void> {
    if (!this.link.up || this.cacheRef === undefined) return;
    await this.membership.beat(this.record());
  }

  /** One heartbeat: renew the record, read the others, act on the plan. */
  private async tick(): Promise<void> {
    if (!this.link.up) return;
    try {
      await this.checkRestart();
      await this.beat();
      const snapshot = await this.read();
      // Placement waits for the first load: the models it loads are not placement's to start twice.
      // Nor does it act on a view that others may still be missing from (Redis just came back).
      if (this.cache.isLoaded && !this.leavingFlag && Date.now() >= this.settleUntil) this.placement?.act(this.plan(snapshot), snapshot.replicas.length);
    } catch (error) {
      this.log.debug(`Cluster: heartbeat failed (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private async beatLoop(): Promise<void> {
    while (this.running) {
      await this.tick();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.config.heartbeatMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * A Redis that restarted without its data has lost the models unloaded on purpose: put back
   * the set this replica read last, so that placement does not bring them back.
   */
  private async checkRestart(): Promise<void> {
    const runId = await this.runId();
    if (this.redisRunId !== undefined && runId !== this.redisRunId) {
      const known = [...(this.snapshot?.unloaded ?? [])];
      this.log.info(`Cluster: Redis restarted (run id changed); re-registering${known.length > 0 ? ` and restoring the models unloaded on purpose (${known.join(", ")})` : ""}`);
      if (known.length > 0) await this.link.commands.sadd(this.keys.unloaded, ...known);
      this.settleUntil = Date.now() + this.config.expiryMs;
    }
    this.redisRunId = runId;
  }

  private async runId(): Promise<string | undefined> {
    const info = await this.link.commands.info("server");
    return /run_id:(\w+)/.exec(info)?.[1];
  }
}

/** Deletes the lock (KEYS[1]) only if this replica (ARGV[1]) still holds it. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
