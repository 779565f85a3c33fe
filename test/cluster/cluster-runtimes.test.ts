/**
 * Cluster mode across runtimes: a replica on the runtime running the tests (in this process) and
 * one on the other runtime (its own process: `bun src/main.ts`, or Deno through
 * scripts/deno/start.sh and its permissions) on one real Redis see each other, forward to each
 * other and carry out each other's cluster-wide operations. ioredis runs on both.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { runtime } from "#runtime";
import { startServiceProcess, type ServiceProcess } from "../../scripts/lib/service-process.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { redisServer, startRedis, type TestRedis } from "../helpers/redis-server.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { ADMIN_TOKEN, getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";

const { afterAll, beforeAll, describe, test } = redisServer;

const IRIS = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
const other = runtime.name === "bun" ? "deno" : "bun";

describe(`cluster mode: a replica on ${runtime.name} and one on ${other}`, () => {
  let redis: TestRedis;
  let models: TempModels;
  let here: TestService;
  let there: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis();
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
      "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n",
    });
    const cluster = { MODELS_DIR: models.dir, CLUSTER_REDIS_URL: redis.url, CLUSTER_HEARTBEAT_MS: "250", CLUSTER_EXPIRY_MS: "3000" };
    [there, here] = await Promise.all([
      startServiceProcess({ ...cluster, ADMIN_TOKEN, WATCH_MODELS: "false", LOG_LEVEL: "warn", CLUSTER_REPLICA_ID: `on-${other}` }, { runtime: other, timeoutMs: 150_000 }),
      startTestService({ ...cluster, CLUSTER_REPLICA_ID: `on-${runtime.name}` }),
    ]);
    await waitFor(
      "both replicas in the view, iris_classifier on one of them",
      async () => {
        const { body } = await getJson(`${here.url}/api/v1/cluster`);
        return body.replicas.length === 2 && body.models.find((model: any) => model.name === "iris_classifier")?.holders.length === 1;
      },
      90_000,
    );
  }, 240_000);

  afterAll(async () => {
    await there?.stop();
    await here?.stop();
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("the same view from both, requests forwarded either way, a reload carried out by both", async () => {
    const [fromHere, fromThere] = await Promise.all([getJson(`${here.url}/api/v1/cluster`), getJson(`${there.url}/api/v1/cluster`)]);
    expect(fromThere.body.replicas.map((replica: any) => replica.id).sort()).toEqual(["on-bun", "on-deno"]);
    const placed = (view: any) => view.models.map((model: any) => [model.id, model.holders]);
    expect(placed(fromThere.body)).toEqual(placed(fromHere.body));
    const holder = fromHere.body.models.find((model: any) => model.name === "iris_classifier").holders[0];
    for (const url of [here.url, there.url]) {
      const answer = await postJson(`${url}/v2/models/iris_classifier/infer`, IRIS);
      expect([url, answer.status, answer.headers.get("x-model-cache-replica")]).toEqual([url, 200, holder]);
    }
    const reload = await postJson(`${there.url}/api/v1/models/reload`, { models: ["sales_forecast"] }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(reload.status).toBe(200);
    expect(reload.body.replicas.map((report: any) => [report.replica, report.status, report.models[0].result])).toEqual([
      ["on-bun", "done", "reloaded"],
      ["on-deno", "done", "reloaded"],
    ]);
  }, 60_000);
});
