/**
 * Cluster mode across runtimes: a replica on Deno (`deno run -A src/main.ts`, as its own process)
 * and one on Bun (in this process) on one real Redis see each other, forward to each other and
 * carry out each other's cluster-wide operations. ioredis runs on both.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO_MODELS, REPO_ROOT } from "../helpers/paths.ts";
import { hasRedis, startRedis, type TestRedis } from "../helpers/redis-server.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { ADMIN_TOKEN, getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";

const redisThere = hasRedis("the cluster test across Bun and Deno");
const IRIS = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };

describe.skipIf(!redisThere)("cluster mode: a Deno replica and a Bun replica", () => {
  let redis: TestRedis;
  let models: TempModels;
  let bun: TestService;
  let deno: Bun.Subprocess<"ignore", "pipe", "pipe">;
  let denoUrl = "";
  let output = "";

  beforeAll(async () => {
    redis = await startRedis();
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
      "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n",
    });
    const cluster = { CLUSTER_REDIS_URL: redis.url, CLUSTER_HEARTBEAT_MS: "250", CLUSTER_EXPIRY_MS: "1500" };
    deno = Bun.spawn([join(REPO_ROOT, "node_modules/.bin/deno"), "run", "-A", join(REPO_ROOT, "src/main.ts")], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: "0", HOST: "127.0.0.1", MODELS_DIR: models.dir, ADMIN_TOKEN, WATCH_MODELS: "false", CLUSTER_REPLICA_ID: "on-deno", ...cluster },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    for (const stream of [deno.stdout, deno.stderr]) {
      void (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
      })();
    }
    bun = await startTestService({ MODELS_DIR: models.dir, CLUSTER_REPLICA_ID: "on-bun", ...cluster });
    denoUrl = await waitFor("the Deno replica listening", () => /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1], 90_000);
    await waitFor(
      "both replicas in the view, iris_classifier on one of them",
      async () => {
        const { body } = await getJson(`${bun.url}/api/v1/cluster`);
        return body.replicas.length === 2 && body.models.find((model: any) => model.name === "iris_classifier")?.holders.length === 1;
      },
      90_000,
    );
  }, 180_000);

  afterAll(async () => {
    deno?.kill("SIGTERM");
    await deno?.exited;
    await bun?.stop();
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("the same view from both, requests forwarded either way, a reload carried out by both", async () => {
    const [fromBun, fromDeno] = await Promise.all([getJson(`${bun.url}/api/v1/cluster`), getJson(`${denoUrl}/api/v1/cluster`)]);
    expect(fromDeno.body.replicas.map((replica: any) => replica.id)).toEqual(["on-bun", "on-deno"]);
    expect(fromDeno.body.models).toEqual(fromBun.body.models.map((model: any) => ({ ...model, requests_per_minute: expect.any(Number) })));
    const holder = fromBun.body.models.find((model: any) => model.name === "iris_classifier").holders[0];
    for (const url of [bun.url, denoUrl]) {
      const answer = await postJson(`${url}/v2/models/iris_classifier/infer`, IRIS);
      expect([url, answer.status, answer.headers.get("x-model-cache-replica")]).toEqual([url, 200, holder]);
    }
    const reload = await postJson(`${denoUrl}/api/v1/models/reload`, { models: ["sales_forecast"] }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(reload.status).toBe(200);
    expect(reload.body.replicas.map((report: any) => [report.replica, report.status, report.models[0].result])).toEqual([
      ["on-bun", "done", "reloaded"],
      ["on-deno", "done", "reloaded"],
    ]);
  }, 60_000);
});
