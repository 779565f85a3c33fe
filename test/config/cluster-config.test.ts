import { describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { parseConfig } from "../../src/config/config.ts";
import { readClusterConfig } from "../../src/config/cluster-config.ts";

describe("cluster settings", () => {
  test("off without CLUSTER_REDIS_URL", () => {
    expect(parseConfig({}).cluster).toBeUndefined();
    // Other CLUSTER_* variables (Kubernetes makes some for a Service named "cluster") are left alone.
    expect(readClusterConfig({ CLUSTER_SERVICE_HOST: "10.0.0.1" })).toBeUndefined();
  });

  test("defaults", () => {
    expect(parseConfig({ CLUSTER_REDIS_URL: "redis://redis:6379" }).cluster).toEqual({
      redisUrl: "redis://redis:6379",
      name: "model-cache",
      replicaId: expect.any(String),
      advertiseUrl: undefined,
      heartbeatMs: 1000,
      expiryMs: 5000,
      adminTimeoutMs: 60_000,
      miss: "forward",
      scaleUpRpm: 2000,
      scaleDownMs: 300_000,
    });
    expect(readClusterConfig({ CLUSTER_REDIS_URL: "redis://r" })!.replicaId).toBe(hostname().replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63) || "replica");
  });

  test("every setting", () => {
    expect(
      readClusterConfig({
        CLUSTER_REDIS_URL: "rediss://user:secret@redis.example:6380/2",
        CLUSTER_NAME: "prod.models",
        CLUSTER_REPLICA_ID: "pod-7",
        CLUSTER_ADVERTISE_URL: "http://10.0.0.7:3000/",
        CLUSTER_HEARTBEAT_MS: "500",
        CLUSTER_EXPIRY_MS: "1500",
        CLUSTER_ADMIN_TIMEOUT_MS: "1000",
        CLUSTER_MISS: "LOAD",
        CLUSTER_SCALE_UP_RPM: "0",
        CLUSTER_SCALE_DOWN_MS: "0",
      }),
    ).toEqual({
      redisUrl: "rediss://user:secret@redis.example:6380/2",
      name: "prod.models",
      replicaId: "pod-7",
      advertiseUrl: "http://10.0.0.7:3000",
      heartbeatMs: 500,
      expiryMs: 1500,
      adminTimeoutMs: 1000,
      miss: "load",
      scaleUpRpm: 0,
      scaleDownMs: 0,
    });
  });

  test.each([
    [{ CLUSTER_REPLICA_ID: "a" }, "CLUSTER_REPLICA_ID needs CLUSTER_REDIS_URL"],
    [{ CLUSTER_REDIS_URL: "http://redis:6379" }, "CLUSTER_REDIS_URL must start with redis://"],
    [{ CLUSTER_REDIS_URL: "not a url" }, "CLUSTER_REDIS_URL must be a URL"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_REPLICA_ID: "a b" }, "CLUSTER_REPLICA_ID must be 1 to 63"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_NAME: "-x" }, "CLUSTER_NAME must be 1 to 63"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_ADVERTISE_URL: "http://10.0.0.7:3000/api" }, "CLUSTER_ADVERTISE_URL must be a base URL"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_ADVERTISE_URL: "ftp://x" }, "CLUSTER_ADVERTISE_URL must be a base URL"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_HEARTBEAT_MS: "1000", CLUSTER_EXPIRY_MS: "2000" }, "CLUSTER_EXPIRY_MS must be more than twice"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_MISS: "drop" }, "CLUSTER_MISS must be one of forward, load"],
    [{ CLUSTER_REDIS_URL: "redis://r", CLUSTER_SCALE_UP_RPM: "-1" }, "CLUSTER_SCALE_UP_RPM must be between"],
  ])("%o is refused", (env, message) => {
    expect(() => readClusterConfig(env)).toThrow(message);
  });

  test("a Redis password never appears in an error", () => {
    expect(() => readClusterConfig({ CLUSTER_REDIS_URL: "redis://:hunter2 secret@" })).toThrow(/^(?!.*hunter2).*$/s);
  });
});
