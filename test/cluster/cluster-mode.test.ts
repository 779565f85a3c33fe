/**
 * Cluster mode with three replicas (in this process, each with its own HTTP server, model hosts
 * and Redis connections) on a real Redis: one view from any replica, copies per the manifest,
 * forwarding, cluster-wide admin, unload that placement respects, copies that follow the request
 * rate, and Redis going away and coming back.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe as ungatedDescribe, expect, test as ungatedTest } from "bun:test";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { freePort, redisServer, startRedis, type TestRedis } from "../helpers/redis-server.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { openapiProblems } from "../helpers/openapi-schema.ts";

const { afterAll, beforeAll, describe, test } = redisServer;

const IRIS = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
const MANIFEST = "models:\n  iris_classifier:\n    copies: 1\n  sales_forecast:\n    copies: 2\n  flowers:\n    copies: 1\n";

/** The first holder of a cache record, once it has one (a busy machine can delay a heartbeat past its expiry, and a copy moves). */
async function holderOf(svc: TestService, id: string): Promise<string> {
  return waitFor(`a holder of ${id}`, async () => (await placement(svc))[id]?.[0], 30_000);
}

/** Holders of each cache record (a model, or one version of a versioned model) in the cluster view. */
async function placement(svc: TestService): Promise<Record<string, string[]>> {
  const { body } = await getJson(`${svc.url}/api/v1/cluster`);
  return Object.fromEntries((body.models as { id: string; holders: string[] }[]).map((model) => [model.id, model.holders]));
}

describe("cluster mode: three replicas, one Redis", () => {
  let redis: TestRedis;
  let models: TempModels;
  let replicas: TestService[] = [];
  const byId = (id: string) => replicas.find((svc) => svc.service.cluster!.node.id === id)!;

  beforeAll(async () => {
    redis = await startRedis();
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
      "linear-external": { copy: join(DEMO_MODELS, "linear-external") },
      // A versioned model (Triton's layout): one cache record per version, each placed on its own.
      "flowers/1/model.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "flowers/2/model.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "models.yaml": MANIFEST,
    });
    // Started together: each joins, sees the others, and takes its share of the plan.
    replicas = await Promise.all(
      ["a", "b", "c"].map((id) =>
        startTestService({
          MODELS_DIR: models.dir,
          CLUSTER_REDIS_URL: redis.url,
          CLUSTER_REPLICA_ID: id,
          CLUSTER_HEARTBEAT_MS: "200",
          // Generous: these replicas share this process's event loop with the test itself, and no
          // test here waits for an expiry (3 s flapped twice when two suites ran at once).
          CLUSTER_EXPIRY_MS: "10000",
          CLUSTER_SCALE_DOWN_MS: "1000",
          CLUSTER_SCALE_UP_RPM: "120",
        }),
      ),
    );
    await waitFor(
      "every model placed as the manifest says",
      async () => {
        const held = await placement(replicas[0]!);
        // Started together, replicas may load a model before they see each other; the view shows
        // a surplus copy only from its holder's next heartbeat, so the one-copy models must also be
        // loaded on exactly one replica (their surplus dropped) before the cluster counts as settled.
        const loadedOn = (id: string) => replicas.filter((svc) => svc.service.cache.status(id) === "loaded").length;
        return (
          held.iris_classifier?.length === 1 && held.sales_forecast?.length === 2 && held["linear-external"]?.length === 3 && held["flowers@1"]?.length === 1 && held["flowers@2"]?.length === 1 &&
          loadedOn("iris_classifier") === 1 && loadedOn("flowers@1") === 1 && loadedOn("flowers@2") === 1
        );
      },
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((svc) => svc.stop()));
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("every replica shows the same cluster view", async () => {
    const views = await Promise.all(replicas.map(async (svc) => (await getJson(`${svc.url}/api/v1/cluster`)).body));
    const stable = (view: any) => ({
      replicas: view.replicas.map((replica: any) => ({ id: replica.id, address: replica.address, models: replica.models.map((model: any) => model.name) })),
      models: view.models.map((model: any) => ({ name: model.name, holders: model.holders, copies: model.copies, desired: model.desired_copies })),
    });
    expect(views.map((view) => view.replica)).toEqual(["a", "b", "c"]);
    expect(views.every((view) => view.enabled && view.status === "ok" && view.redis === "up")).toBe(true);
    for (const view of views) expect(await openapiProblems("ClusterView", view)).toEqual([]);
    expect(stable(views[1])).toEqual(stable(views[0]));
    expect(stable(views[2])).toEqual(stable(views[0]));
    expect(views[0].replicas.map((replica: any) => replica.address)).toEqual(replicas.map((svc) => svc.url));
    const iris = views[0].models.find((model: any) => model.name === "iris_classifier");
    expect(iris).toMatchObject({ copies: 1, desired_copies: 1, unloaded: false });
    expect(views[0].models.find((model: any) => model.name === "linear-external")).toMatchObject({ copies: "all", desired_copies: 3 });
    // The lexicon is each replica's own (every sentiment answer's fallback): never placed.
    expect(views[0].models.some((model: any) => model.name === "lexicon")).toBe(false);
    for (const replica of views[0].replicas) expect(replica.last_heartbeat).toBeGreaterThan(Date.now() / 1000 - 10);
  });

  test("a request to a replica without the model is answered by its holder, one hop, status and headers kept", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    const before = byId(holder).service.cache.entry("iris_classifier")!.requests;
    const answer = await postJson(`${other.url}/v2/models/iris_classifier/infer`, IRIS, { "x-request-id": "forwarded-request-1" });
    expect(answer.status).toBe(200);
    expect(answer.body.outputs.find((output: any) => output.name === "label").data).toEqual([0]);
    expect(answer.headers.get("x-model-cache-replica")).toBe(holder);
    expect(answer.headers.get("x-request-id")).toBe("forwarded-request-1");
    expect(byId(holder).service.cache.entry("iris_classifier")!.requests).toBe(before + 1);
    // The replica that forwarded it never touched the model.
    expect(other.service.cache.entry("iris_classifier")!.requests).toBe(0);
    expect(other.service.cache.status("iris_classifier")).not.toBe("loaded");
    // The holder's access log names the same request id (it is written once the answer is sent).
    await waitFor("the holder's access log line", () => byId(holder).logs.some((line) => line.includes("POST /v2/models/iris_classifier/infer 200") && line.includes("forwarded-request-1")), 10_000);

    // An error comes back as the holder gave it.
    const bad = await postJson(`${other.url}/v2/models/iris_classifier/infer`, { inputs: [{ name: "nope", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }] });
    expect(bad.status).toBe(400);
    expect(typeof bad.body.error).toBe("string");
    expect(bad.headers.get("x-model-cache-replica")).toBe(holder);

    // Metadata and readiness are the holder's too.
    const ready = await getJson(`${other.url}/v2/models/iris_classifier/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("x-model-cache-replica")).toBe(holder);
  });

  test("a versioned model: each version is placed on its own, and a request reaches the holder of the version it names", async () => {
    const view = (await getJson(`${replicas[0]!.url}/api/v1/cluster`)).body;
    expect(view.models.find((model: any) => model.id === "flowers@1")).toMatchObject({ name: "flowers", version: "1", copies: 1 });
    for (const version of ["1", "2"]) {
      const holder = await holderOf(replicas[0]!, `flowers@${version}`);
      const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
      const answer = await postJson(`${other.url}/v2/models/flowers/versions/${version}/infer`, IRIS);
      expect([version, answer.status, answer.headers.get("x-model-cache-replica")]).toEqual([version, 200, holder]);
      expect(answer.body.model_version).toBe(version);
    }
    // Without a version: the default (the newest), wherever it is held.
    const newest = await holderOf(replicas[0]!, "flowers@2");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== newest)!;
    const answer = await postJson(`${other.url}/v2/models/flowers/infer`, IRIS);
    expect([answer.status, answer.headers.get("x-model-cache-replica"), answer.body.model_version]).toEqual([200, newest, "2"]);
  });

  test("a request body of many rows goes through to the holder", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    const rows = 200;
    const body = { inputs: [{ name: "input", datatype: "FP32", shape: [rows, 4], data: Array.from({ length: rows * 4 }, (_, i) => (i % 7) + 0.5) }] };
    const answer = await postJson(`${other.url}/v2/models/iris_classifier/infer`, body);
    expect(answer.status).toBe(200);
    expect(answer.body.outputs.find((output: any) => output.name === "label").shape).toEqual([rows]);
    expect(answer.headers.get("x-model-cache-replica")).toBe(holder);
  });

  test("a forwarded request is never forwarded again: a replica without the model says so", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    const answer = await postJson(`${other.url}/v2/models/iris_classifier/infer`, IRIS, { "x-model-cache-forwarded": "somebody" });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("x-model-cache-not-held")).toBe(other.service.cluster!.node.id);
    expect(answer.body.error).toContain("does not hold");
  });

  test("a reload sent to one replica is carried out by every replica, and the answer lists each one", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const loadsBefore = byId(holder).service.cache.entry("iris_classifier")!.load_count;
    const answer = await postJson(`${replicas[2]!.url}/api/v1/models/reload`, { models: ["iris_classifier", "linear-external"] }, replicas[2]!.admin);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "reloaded", loaded_models: ["iris_classifier", "linear-external"], failed_models: [] });
    expect(await openapiProblems("ReloadResult", answer.body)).toEqual([]);
    expect(answer.body.replicas.map((report: any) => [report.replica, report.status])).toEqual([
      ["a", "done"],
      ["b", "done"],
      ["c", "done"],
    ]);
    for (const report of answer.body.replicas) {
      const iris = report.models.find((model: any) => model.name === "iris_classifier");
      expect(iris.result).toBe(report.replica === holder ? "reloaded" : "not_held");
      expect(report.models.find((model: any) => model.name === "linear-external").result).toBe("reloaded");
    }
    expect(byId(holder).service.cache.entry("iris_classifier")!.load_count).toBe(loadsBefore + 1);
    for (const svc of replicas) expect(svc.service.cache.entry("linear-external")!.load_count).toBe(2);

    // A full reload: every replica reloads what it holds.
    const all = await postJson(`${replicas[0]!.url}/api/v1/models/reload`, undefined, replicas[0]!.admin);
    expect(all.status).toBe(200);
    expect(all.body.replicas).toHaveLength(3);
    expect(all.body.loaded_models).toEqual(expect.arrayContaining(["iris_classifier", "linear-external", "sales_forecast"]));

    // Unknown names are refused before anything is logged.
    const unknown = await postJson(`${replicas[1]!.url}/api/v1/models/reload`, { models: ["no_such_model"] }, replicas[1]!.admin);
    expect(unknown.status).toBe(404);
  });

  test("an unload is cluster-wide, and placement leaves the model unloaded until a load names it", async () => {
    const unload = await postJson(`${replicas[0]!.url}/v2/repository/models/linear-external/unload`, {}, replicas[0]!.admin);
    expect(unload.status).toBe(200);
    expect(unload.body.state).toBe("UNLOADED");
    expect(await openapiProblems("repository_unload_response", unload.body)).toEqual([]);
    expect(unload.body.replicas.map((report: any) => report.models[0].result)).toEqual(["unloaded", "unloaded", "unloaded"]);
    for (const svc of replicas) expect(svc.service.cache.status("linear-external")).toBe("unloaded");
    // Several heartbeats and scale-down periods later, nobody brought it back.
    await sleep(2500);
    expect(replicas.map((svc) => [svc.service.cluster!.node.id, svc.service.cache.status("linear-external")])).toEqual([
      ["a", "unloaded"],
      ["b", "unloaded"],
      ["c", "unloaded"],
    ]);
    const view = (await getJson(`${replicas[1]!.url}/api/v1/cluster`)).body;
    expect(view.models.find((model: any) => model.name === "linear-external")).toMatchObject({ holders: [], desired_copies: 0, unloaded: true });
    // A request for it gets the single-node answer (503, unloaded), from any replica.
    const refused = await postJson(`${replicas[2]!.url}/v2/models/linear-external/infer`, { inputs: [] });
    expect(refused.status).toBe(503);

    const load = await postJson(`${replicas[1]!.url}/v2/repository/models/linear-external/load`, {}, replicas[1]!.admin);
    expect(load.status).toBe(200);
    expect(load.body).toMatchObject({ name: "linear-external", state: "READY" });
    expect(await openapiProblems("repository_load_response", load.body)).toEqual([]);
    expect(load.body.replicas.map((report: any) => report.models[0].result)).toEqual(["loaded", "loaded", "loaded"]);
    await waitFor("linear-external held everywhere again", async () => (await placement(replicas[0]!))["linear-external"]?.length === 3, 30_000);
  });

  test("copies follow the request rate: more while traffic passes CLUSTER_SCALE_UP_RPM, back to the manifest's when it stops", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    // 120 requests a minute per copy; the rate is measured over 10 s: 60 requests make 360 a minute.
    for (let i = 0; i < 60; i++) expect((await postJson(`${byId(holder).url}/v2/models/iris_classifier/infer`, IRIS)).status).toBe(200);
    const grown = await waitFor("a second copy of iris_classifier", async () => {
      const view = (await getJson(`${replicas[0]!.url}/api/v1/cluster`)).body;
      const iris = view.models.find((model: any) => model.name === "iris_classifier");
      return iris.holders.length >= 2 ? iris : undefined;
    }, 30_000);
    expect(grown.desired_copies).toBeGreaterThanOrEqual(2);
    expect(grown.requests_per_minute).toBeGreaterThan(120);
    // Idle: the window empties, and the extra copies go after CLUSTER_SCALE_DOWN_MS.
    await waitFor("back to one copy", async () => (await placement(replicas[0]!)).iris_classifier?.length === 1, 60_000);
  }, 90_000);

  test("Redis down: every replica goes on serving and says degraded; Redis back: the cluster resynchronises", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    // A copy being dropped says "not held" a heartbeat before it is unloaded: wait for the unload.
    await waitFor("the extra copies unloaded", () => other.service.cache.status("iris_classifier") !== "loaded", 20_000);
    await redis.kill();
    await waitFor("health says degraded", async () => (await getJson(`${other.url}/api/v1/models/health`)).body.status === "degraded", 20_000);
    const health = await getJson(`${other.url}/api/v1/models/health`);
    expect(health.status).toBe(200);
    expect(health.body.message).toContain("Redis");
    expect((await getJson(`${other.url}/v2/health/ready`)).status).toBe(200);
    const view = (await getJson(`${other.url}/api/v1/cluster`)).body;
    expect(view).toMatchObject({ redis: "down", status: "degraded" });
    expect(await openapiProblems("ClusterView", view)).toEqual([]);
    expect(view.replicas).toHaveLength(3);
    // Requests are still served, forwarded with the last view read.
    const served = await postJson(`${other.url}/v2/models/iris_classifier/infer`, IRIS);
    expect(served.status).toBe(200);
    expect(served.headers.get("x-model-cache-replica")).toBe(holder);
    // Cluster-wide admin needs Redis: refused, nothing changed.
    const reload = await postJson(`${other.url}/api/v1/models/reload`, { models: ["iris_classifier"] }, other.admin);
    expect(reload.status).toBe(503);
    expect(reload.body.error.code).toBe("cluster_unavailable");

    await redis.restart();
    await waitFor(
      "every replica registered again",
      async () => {
        const { body } = await getJson(`${replicas[0]!.url}/api/v1/cluster`);
        return body.redis === "up" && body.replicas.length === 3;
      },
      30_000,
    );
    expect((await getJson(`${other.url}/api/v1/models/health`)).body.status).toBe("healthy");
    await waitFor("the placement as before", async () => {
      const held = await placement(replicas[0]!);
      return held.iris_classifier?.length === 1 && held.sales_forecast?.length === 2 && held["linear-external"]?.length === 3;
    }, 30_000);
    const after = await postJson(`${replicas[1]!.url}/api/v1/models/reload`, { models: ["sales_forecast"] }, replicas[1]!.admin);
    expect(after.status).toBe(200);
    expect(after.body.replicas).toHaveLength(3);
  }, 90_000);
});

describe("cluster mode: CLUSTER_MISS=load", () => {
  let redis: TestRedis;
  let models: TempModels;
  let replicas: TestService[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    models = await tempModels({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n" });
    replicas = await Promise.all(
      ["x", "y"].map((id) =>
        startTestService({ MODELS_DIR: models.dir, CLUSTER_REDIS_URL: redis.url, CLUSTER_REPLICA_ID: id, CLUSTER_HEARTBEAT_MS: "200", CLUSTER_EXPIRY_MS: "1000", CLUSTER_MISS: "load", CLUSTER_SCALE_DOWN_MS: "600000" }),
      ),
    );
    await waitFor("iris_classifier placed", async () => (await placement(replicas[0]!)).iris_classifier?.length === 1, 60_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((svc) => svc.stop()));
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("a replica without the model loads it when it has room, and serves the request itself", async () => {
    const holder = await holderOf(replicas[0]!, "iris_classifier");
    const other = replicas.find((svc) => svc.service.cluster!.node.id !== holder)!;
    const answer = await postJson(`${other.url}/v2/models/iris_classifier/infer`, IRIS);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-model-cache-replica")).toBe(other.service.cluster!.node.id);
    expect(other.service.cache.status("iris_classifier")).toBe("loaded");
    await waitFor("two copies in the view", async () => (await placement(replicas[0]!)).iris_classifier?.length === 2, 20_000);
  });
});

describe("cluster mode: a replica that starts while Redis is away", () => {
  test("starts on its own (every model loaded, health degraded), and joins when Redis comes", async () => {
    const port = await freePort();
    const models = await tempModels({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n" });
    const svc = await startTestService({ MODELS_DIR: models.dir, CLUSTER_REDIS_URL: `redis://127.0.0.1:${port}`, CLUSTER_REPLICA_ID: "early", CLUSTER_HEARTBEAT_MS: "200", CLUSTER_EXPIRY_MS: "1000" });
    let redis: TestRedis | undefined;
    try {
      expect(svc.service.cache.status("iris_classifier")).toBe("loaded");
      expect(svc.logs.some((line) => line.includes("Redis is unreachable at start"))).toBe(true);
      expect((await getJson(`${svc.url}/api/v1/models/health`)).body.status).toBe("degraded");
      expect((await getJson(`${svc.url}/api/v1/cluster`)).body).toMatchObject({ redis: "down", status: "degraded", replicas: [] });
      expect((await postJson(`${svc.url}/v2/models/iris_classifier/infer`, IRIS)).status).toBe(200);
      redis = await startRedis(port);
      const view = await waitFor("registered once Redis is there", async () => {
        const { body } = await getJson(`${svc.url}/api/v1/cluster`);
        return body.redis === "up" && body.replicas.length === 1 ? body : undefined;
      }, 30_000);
      expect(view.models.find((model: any) => model.id === "iris_classifier").holders).toEqual(["early"]);
      expect((await getJson(`${svc.url}/api/v1/models/health`)).body.status).toBe("healthy");
    } finally {
      await svc.stop();
      await redis?.stop();
      await models.cleanup();
    }
  }, 90_000);
});

ungatedDescribe("cluster mode off", () => {
  ungatedTest("GET /api/v1/cluster says so", async () => {
    const models = await tempModels({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } });
    const svc = await startTestService({ MODELS_DIR: models.dir });
    try {
      const { status, body, headers } = await getJson(`${svc.url}/api/v1/cluster`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ enabled: false, replica: null, redis: "off", status: "off", replicas: [], models: [] });
      expect(headers.get("x-model-cache-replica")).toBeNull();
      expect(svc.service.cluster).toBeUndefined();
    } finally {
      await svc.stop();
      await models.cleanup();
    }
  }, 60_000);
});
