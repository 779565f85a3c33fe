/**
 * The folder watcher in cluster mode (two replicas over one models folder, as on a shared
 * volume or a ConfigMap): a new model loads only where placement puts its copies, and a changed
 * model is reloaded where it is held, not loaded where it is not.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "bun:test";
import { copyFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { redisServer, startRedis, type TestRedis } from "../helpers/redis-server.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { getJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";

const { afterAll, beforeAll, describe, test } = redisServer;

describe("cluster mode: the folder watcher", () => {
  let redis: TestRedis;
  let models: TempModels;
  let replicas: TestService[] = [];
  const holdersOf = async (id: string): Promise<string[]> =>
    ((await getJson(`${replicas[0]!.url}/api/v1/cluster`)).body.models as any[]).find((model) => model.id === id)?.holders ?? [];
  const byId = (id: string) => replicas.find((svc) => svc.service.cluster!.node.id === id)!;

  beforeAll(async () => {
    redis = await startRedis();
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n  newcomer:\n    copies: 1\n",
    });
    replicas = await Promise.all(
      ["p", "q"].map((id) =>
        startTestService({
          MODELS_DIR: models.dir,
          WATCH_MODELS: "true",
          WATCH_SETTLE_MS: "200",
          WATCH_POLL_MS: "300",
          CLUSTER_REDIS_URL: redis.url,
          CLUSTER_REPLICA_ID: id,
          CLUSTER_HEARTBEAT_MS: "200",
          // In-process replicas share the test's event loop; nothing here waits for an expiry.
          CLUSTER_EXPIRY_MS: "10000",
          CLUSTER_SCALE_DOWN_MS: "600000",
        }),
      ),
    );
    await waitFor("iris_classifier placed", async () => (await holdersOf("iris_classifier")).length === 1, 60_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((svc) => svc.stop()));
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("a model added to the folder is loaded by one replica, as its copies say", async () => {
    await copyFile(join(DEMO_MODELS, "iris_classifier.onnx"), join(models.dir, ".newcomer.tmp"));
    await rename(join(models.dir, ".newcomer.tmp"), join(models.dir, "newcomer.onnx"));
    await waitFor("newcomer held by a replica", async () => (await holdersOf("newcomer")).length === 1, 60_000);
    // A few heartbeats later, still one copy: the other replica never loaded it (no surplus to drop).
    await sleep(1500);
    const holders = await holdersOf("newcomer");
    expect(holders).toHaveLength(1);
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holders[0])!;
    expect(other.service.cache.status("newcomer")).not.toBe("loaded");
    expect(other.service.cache.entry("newcomer")!.load_count).toBe(0);
  }, 90_000);

  test("a model and the manifest line that names it, added together, are placed once", async () => {
    await copyFile(join(DEMO_MODELS, "iris_classifier.onnx"), join(models.dir, ".brandnew.tmp"));
    await writeFile(join(models.dir, ".models.yaml.tmp"), "models:\n  iris_classifier:\n    copies: 1\n  newcomer:\n    copies: 1\n  brandnew:\n    copies: 1\n");
    await rename(join(models.dir, ".brandnew.tmp"), join(models.dir, "brandnew.onnx"));
    await rename(join(models.dir, ".models.yaml.tmp"), join(models.dir, "models.yaml"));
    await waitFor("brandnew held by a replica", async () => (await holdersOf("brandnew")).length === 1, 60_000);
    await sleep(1500);
    expect(await holdersOf("brandnew")).toHaveLength(1);
    expect(replicas.map((svc) => svc.service.cache.entry("brandnew")!.load_count).sort()).toEqual([0, 1]);
  }, 90_000);

  test("a changed model is reloaded where it is held, and nowhere else", async () => {
    const [holder] = await holdersOf("iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    const loads = byId(holder!).service.cache.entry("iris_classifier")!.load_count;
    await copyFile(join(DEMO_MODELS, "iris_classifier.onnx"), join(models.dir, ".iris.tmp"));
    await rename(join(models.dir, ".iris.tmp"), join(models.dir, "iris_classifier.onnx"));
    await waitFor("the holder reloaded it", () => byId(holder!).service.cache.entry("iris_classifier")!.load_count > loads, 60_000);
    await sleep(1000);
    expect(other.service.cache.entry("iris_classifier")!.load_count).toBe(0);
    expect(await holdersOf("iris_classifier")).toEqual([holder!]);
  }, 90_000);
});
