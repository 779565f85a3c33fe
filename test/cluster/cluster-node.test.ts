/**
 * One ClusterNode on a real Redis, for what a whole cluster cannot show on demand: a decision
 * taken on an older view, when Redis leaves a read unanswered (frozen with SIGSTOP).
 */
import { afterEach, expect } from "bun:test";
import type { ModelSpec } from "../../src/cache/model-types.ts";
import { ClusterNode } from "../../src/cluster/cluster-node.ts";
import { loadRedisClient } from "../../src/cluster/redis-link.ts";
import { readClusterConfig } from "../../src/config/cluster-config.ts";
import { Logger } from "../../src/logging/logger.ts";
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

describe("ClusterNode.placedHere", () => {
  test("a model a load just took out of the unloaded set is placed, even when the read fails and an older view decides", async () => {
    redis = await startRedis();
    const config = readClusterConfig({ CLUSTER_REDIS_URL: redis.url, CLUSTER_REPLICA_ID: "a", CLUSTER_HEARTBEAT_MS: "100", CLUSTER_EXPIRY_MS: "5000" })!;
    const logs: string[] = [];
    node = new ClusterNode(config, new Logger({ level: "debug", sink: (line) => logs.push(line) }), await loadRedisClient());
    expect(await node.join([SPEC], null)).toEqual(new Set(["m"]));
    // An admin unload, read into this replica's view; then the admin load takes it out again.
    await node.link.commands.sadd(node.keys.unloaded, "m");
    const view = await node.read();
    expect(view.unloaded.has("m")).toBe(true);
    await node.link.commands.srem(node.keys.unloaded, "m");
    // The load's entry is applied while Redis leaves the fresh read unanswered (the command's time limit).
    redis.pause();
    const placed = await node.placedHere("m");
    redis.resume();
    // The read failed (the view kept is the one read before), yet the connection counts as up.
    expect(node.lastSnapshot).toBe(view);
    expect(node.redisUp).toBe(true);
    expect(placed).toBe(true);
  }, 30_000);
});
