/**
 * One ClusterNode on a real Redis, for what a whole cluster cannot show on demand: what happens
 * when Redis leaves a command unanswered (frozen with SIGSTOP) while the connection stays up.
 */
import { afterEach, expect } from "bun:test";
import { ModelCache } from "../../src/cache/model-cache.ts";
import type { ModelSpec } from "../../src/cache/model-types.ts";
import { ClusterAdmin } from "../../src/cluster/cluster-admin.ts";
import { ClusterNode } from "../../src/cluster/cluster-node.ts";
import { loadRedisClient } from "../../src/cluster/redis-link.ts";
import { readClusterConfig } from "../../src/config/cluster-config.ts";
import { Logger } from "../../src/logging/logger.ts";
import { FakeBackend, fakeSpecs, fixedDiscovery } from "../helpers/fake-backend.ts";
import { redisServer, startRedis, type TestRedis } from "../helpers/redis-server.ts";

const { describe, test } = redisServer;

const SPEC: ModelSpec = { name: "m", modelType: "onnx", version: "1", required: false, preload: true };

let redis: TestRedis | undefined;
let node: ClusterNode | undefined;

afterEach(async () => {
  redis?.resume();
  await node?.stop();
  await redis?.stop();
  node = redis = undefined;
});

/** A node named "a" on a fresh Redis, joined with the model `m`. */
async function joinedNode(): Promise<ClusterNode> {
  redis = await startRedis();
  const config = readClusterConfig({ CLUSTER_REDIS_URL: redis.url, CLUSTER_REPLICA_ID: "a", CLUSTER_HEARTBEAT_MS: "100", CLUSTER_EXPIRY_MS: "5000", CLUSTER_ADMIN_TIMEOUT_MS: "300" })!;
  node = new ClusterNode(config, new Logger({ level: "error", sink: () => undefined }), await loadRedisClient());
  expect(await node.join([SPEC], null)).toEqual(new Set(["m"]));
  return node;
}

describe("ClusterNode.placedHere", () => {
  test("a model a load just took out of the unloaded set is placed, even when the read fails and an older view decides", async () => {
    const node = await joinedNode();
    // An admin unload, read into this replica's view; then the admin load takes it out again.
    await node.link.commands.sadd(node.keys.unloaded, "m");
    const view = await node.read();
    expect(view.unloaded.has("m")).toBe(true);
    await node.link.commands.srem(node.keys.unloaded, "m");
    // The load's entry is applied while Redis leaves the fresh read unanswered (the command's time limit).
    redis!.pause();
    const placed = await node.placedHere("m");
    redis!.resume();
    // The read failed (the view kept is the one read before), yet the connection counts as up.
    expect(node.lastSnapshot).toBe(view);
    expect(node.redisUp).toBe(true);
    expect(placed).toBe(true);
  }, 30_000);
});

describe("ClusterAdmin", () => {
  test("a cluster-wide unload that fails before its entry is published changes nothing, even once Redis answers again", async () => {
    const node = await joinedNode();
    const cache = new ModelCache({ backends: [new FakeBackend()], discover: fixedDiscovery(fakeSpecs(["m"])), log: new Logger({ level: "error", sink: () => undefined }) });
    await cache.loadAll();
    redis!.pause();
    const refused = await new ClusterAdmin(node, cache).run("unload", ["m"]).catch((error: unknown) => error);
    redis!.resume();
    expect(refused).toMatchObject({ status: 503, code: "cluster_unavailable" });
    // Whatever was sent before the time limit is carried out now: none of it may be the unload.
    expect(await node.link.commands.ping()).toBe("PONG");
    expect(await node.link.commands.sismember(node.keys.unloaded, "m")).toBe(0);
    expect(await node.link.commands.xlen(node.keys.admin)).toBe(0);
    // Once Redis answers, the same unload is logged with its set change.
    const done = await new ClusterAdmin(node, cache).run("unload", ["m"]).catch((error: unknown) => error);
    expect(await node.link.commands.sismember(node.keys.unloaded, "m")).toBe(1);
    expect(await node.link.commands.xlen(node.keys.admin)).toBe(1);
    expect(done).toMatchObject({ replicas: [{ replica: "a" }] });
  }, 30_000);
});
