/**
 * Versions side by side over a real service and real demo models copied into version folders:
 * the version policy, /versions/{v} routes, the registry, rollback without a restart (admin
 * route and manifest edit), forecasts and sentiment by version.
 */
import { describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const iris = { copy: join(DEMO_MODELS, "iris_classifier.onnx") };
const sales = { copy: join(DEMO_MODELS, "sales_forecast.json") };
const MANIFEST = [
  "models:",
  "  iris:",
  "    version_policy: { latest: 2 }",
  "  flaky:",
  "    default_version: 1",
  "  sent:",
  "    routing:",
  "      variants: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }]",
  "      sticky_header: X-User-Id",
  "",
].join("\n");

const served = serveModels(
  {
    "iris/1/model.onnx": iris,
    "iris/2/model.onnx": iris,
    "iris/3/model.onnx": iris,
    "flaky/1/model.onnx": iris,
    "flaky/2/model.onnx": "a version that is not an ONNX model",
    "sales/1/model.json": sales,
    "sales/2.0.0/model.json": sales,
    "sent/1": { copy: join(DEMO_MODELS, "sentiment-bert") },
    "sent/2": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
    "plain.onnx": iris,
    "models.yaml": MANIFEST,
  },
  { SENTIMENT_MODEL: "sent" },
);

const ROW = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
const url = (path: string) => `${served.svc.url}${path}`;
const registry = async () => (await getJson(url("/api/v1/models/registry"))).body;
const entry = async (name: string) => (await registry()).models.find((model: { name: string }) => model.name === name);

async function putDefault(name: string, version: unknown, headers = served.svc.admin) {
  const response = await fetch(url(`/api/v1/models/${name}/default-version`), {
    method: "PUT",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ version }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function rescan(): Promise<void> {
  expect((await postJson(url("/v2/repository/index"), {}, served.svc.admin)).status).toBe(200);
}

describe("the registry lists every version with its own status", () => {
  test("a versioned model: its default's entry plus each served version, and what the policy leaves out", async () => {
    const iris = await entry("iris");
    expect(iris).toMatchObject({ name: "iris", status: "loaded", version: "3", default_version: "3", default_version_from: "latest" });
    expect(iris.version_policy).toEqual({ latest: 2 });
    expect(iris.unserved_versions).toEqual(["1"]);
    expect(iris.versions.map((v: any) => [v.id, v.name, v.version, v.status, v.source])).toEqual([
      ["iris@2", "iris", "2", "loaded", "iris/2"],
      ["iris@3", "iris", "3", "loaded", "iris/3"],
    ]);
    const flaky = await entry("flaky");
    expect(flaky).toMatchObject({ status: "loaded", default_version: "1", default_version_from: "manifest" });
    expect(flaky.versions.map((v: any) => [v.version, v.status])).toEqual([
      ["1", "loaded"],
      ["2", "failed"],
    ]);
    expect(flaky.versions[1].error).toMatch(/not a valid ONNX model/);
  });

  test("a model with one version keeps the entry it always had (plus its traffic)", async () => {
    const plain = await entry("plain");
    expect(plain).toMatchObject({ name: "plain", version: "1.0.0", status: "loaded", source: "plain.onnx" });
    for (const key of ["versions", "default_version", "routing", "id"]) expect(plain).not.toHaveProperty(key);
    expect(plain.traffic).toMatchObject({ requests: expect.any(Number), errors: 0 });
    const body = await registry();
    expect(body.total_models).toBe(body.models.length);
    expect(body.models.map((model: any) => model.name)).toEqual(["flaky", "iris", "lexicon", "plain", "sales", "sent"]);
  });

  test("the model list and the repository index show versions too", async () => {
    const list = (await getJson(url("/api/v1/models/models"))).body.models;
    expect(list.find((model: any) => model.name === "flaky")).toEqual({
      name: "flaky",
      type: "onnx",
      status: "loaded",
      versions: [
        { version: "1", status: "loaded" },
        { version: "2", status: "failed" },
      ],
    });
    expect(list.find((model: any) => model.name === "plain")).toEqual({ name: "plain", type: "onnx", status: "loaded" });
    const index = (await postJson(url("/v2/repository/index"), {}, served.svc.admin)).body;
    expect(index.filter((item: any) => item.name === "iris").map((item: any) => [item.version, item.state])).toEqual([
      ["2", "READY"],
      ["3", "READY"],
    ]);
  });
});

describe("/v2/models/{name}/versions/{v} reaches that version; /v2/models/{name} the default", () => {
  test("inference names the version in model_version and X-Model-Version", async () => {
    const two = await postJson(url("/v2/models/iris/versions/2/infer"), ROW);
    expect([two.status, two.body.model_name, two.body.model_version, two.headers.get("x-model-version"), two.headers.get("x-model-name")]).toEqual([200, "iris", "2", "2", "iris"]);
    const byDefault = await postJson(url("/v2/models/iris/infer"), ROW);
    expect([byDefault.body.model_version, byDefault.headers.get("x-model-version")]).toEqual(["3", "3"]);
    expect(byDefault.body.outputs).toEqual(two.body.outputs);
  });

  test("metadata lists every served version; readiness is per version", async () => {
    const metadata = await getJson(url("/v2/models/iris"));
    expect([metadata.body.name, metadata.body.versions, metadata.headers.get("x-model-version")]).toEqual(["iris", ["2", "3"], "3"]);
    expect((await getJson(url("/v2/models/iris/versions/2"))).body.versions).toEqual(["2", "3"]);
    expect((await getJson(url("/v2/models/flaky/ready"))).status).toBe(200);
    expect((await getJson(url("/v2/models/flaky/versions/1/ready"))).status).toBe(200);
    const failed = await getJson(url("/v2/models/flaky/versions/2/ready"));
    expect([failed.status, failed.body.error]).toEqual([503, 'Model "flaky" is not ready (flaky@2 is failed)']);
    const run = await postJson(url("/v2/models/flaky/versions/2/infer"), ROW);
    expect([run.status, run.body.error]).toEqual([503, expect.stringMatching(/flaky@2.*failed to load/)]);
    expect((await postJson(url("/v2/models/flaky/infer"), ROW)).body.model_version).toBe("1");
  });

  test("an unknown version, or one the policy leaves out, is a 404 with a JSON body naming the versions served", async () => {
    const unknown = await postJson(url("/v2/models/iris/versions/9/infer"), ROW);
    expect([unknown.status, unknown.body]).toEqual([404, { error: 'Model "iris" has no version "9" (it serves 2, 3)' }]);
    const unserved = await getJson(url("/v2/models/iris/versions/1"));
    expect(unserved.status).toBe(404);
    expect(unserved.body.error).toMatch(/does not serve version "1": its version_policy leaves it out/);
    const forecast = await postJson(url("/api/v1/models/sales/versions/7/forecast"), { periods: 2 });
    expect([forecast.status, forecast.body.error.code]).toEqual([404, "version_not_found"]);
    // Record ids are not model names.
    expect((await postJson(url("/v2/models/iris@2/infer"), ROW)).status).toBe(404);
  });

  test("forecasts by version; the answer names the version", async () => {
    const latest = await postJson(url("/api/v1/models/sales/forecast"), { periods: 3 });
    expect([latest.status, latest.body.model, latest.body.version, latest.headers.get("x-model-version")]).toEqual([200, "sales", "2.0.0", "2.0.0"]);
    const first = await postJson(url("/api/v1/models/sales/versions/1/forecast"), { periods: 3 });
    expect([first.body.version, first.headers.get("x-model-version")]).toEqual(["1", "1"]);
    expect(first.body.forecast).toEqual(latest.body.forecast);
  });
});

describe("statistics and metrics by version", () => {
  test("Triton's statistics and the Prometheus metrics count each version under the model's name", async () => {
    expect((await postJson(url("/v2/models/iris/versions/2/infer"), ROW)).status).toBe(200);
    const all = (await getJson(url("/v2/models/iris/stats"))).body.model_stats;
    expect(all.map((stats: any) => [stats.name, stats.version])).toEqual([
      ["iris", "2"],
      ["iris", "3"],
    ]);
    expect(all[0].inference_count).toBeGreaterThan(0);
    const one = (await getJson(url("/v2/models/iris/versions/3/stats"))).body.model_stats;
    expect(one.map((stats: any) => [stats.name, stats.version])).toEqual([["iris", "3"]]);
    expect((await getJson(url("/v2/models/iris/versions/1/stats"))).status).toBe(404);
    const metrics = await (await fetch(url("/metrics"))).text();
    expect(metrics).toMatch(/model_cache_requests_total\{[^}]*model="iris"[^}]*version="2"[^}]*outcome="success"/);
    expect(metrics).toMatch(/model_cache_model_status\{[^}]*model="flaky"[^}]*version="2"[^}]*status="failed"[^}]*\} 1/);
    // Record ids are never labels.
    expect(metrics).not.toContain('model="iris@');
  });
});

describe("sentiment through a versioned, routed transformer", () => {
  test("each answer names the model and version; one key keeps its version; both versions answer", async () => {
    const seen = new Set<string>();
    for (let user = 0; user < 12; user++) {
      const versions = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const answer = await postJson(url("/api/v1/sentiment"), { text: "I love this, wonderful" }, { "X-User-Id": `user-${user}` });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ label: "POSITIVE", backend: "transformer", model: "sent" });
        expect(answer.headers.get("x-model-version")).toBe(answer.body.version);
        versions.add(answer.body.version);
      }
      expect(versions.size).toBe(1);
      seen.add([...versions][0]!);
    }
    expect([...seen].sort()).toEqual(["1", "2"]);
    const batch = await postJson(url("/api/v1/sentiment"), { texts: ["great", "awful", " "] });
    expect(new Set(batch.body.results.map((result: any) => result.version)).size).toBe(1);
    const sent = await entry("sent");
    expect(sent.versions.reduce((total: number, version: any) => total + version.traffic.requests, 0)).toBe(49);
  }, 60_000);
});

describe("rollback without a restart", () => {
  test("the admin route makes an older version the default; deleting the setting gives it back", async () => {
    const set = await putDefault("iris", "2");
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: "iris", version: "2", default_version: "2", default_version_from: "admin" });
    expect((await postJson(url("/v2/models/iris/infer"), ROW)).body.model_version).toBe("2");
    expect((await getJson(url("/v2/models/iris"))).headers.get("x-model-version")).toBe("2");
    // A rescan with an unchanged manifest keeps the setting.
    await rescan();
    expect((await postJson(url("/v2/models/iris/infer"), ROW)).body.model_version).toBe("2");
    const cleared = await fetch(url("/api/v1/models/iris/default-version"), { method: "DELETE", headers: served.svc.admin });
    expect(((await cleared.json()) as any).default_version_from).toBe("latest");
    expect((await postJson(url("/v2/models/iris/infer"), ROW)).body.model_version).toBe("3");
  });

  test("the route wants the admin token, a served version and a known model", async () => {
    expect((await putDefault("iris", "2", {})).status).toBe(401);
    const unserved = await putDefault("iris", "1");
    expect([unserved.status, unserved.body.error.code]).toEqual([404, "version_not_found"]);
    expect((await putDefault("ghost", "1")).body.error.code).toBe("model_not_found");
    expect((await putDefault("iris", 2)).status).toBe(422);
    expect((await entry("iris")).default_version).toBe("3");
  });

  test("routing waits while an admin default holds the traffic", async () => {
    expect((await putDefault("sent", "1")).body.routing).toMatchObject({ suspended: true });
    for (let user = 0; user < 8; user++) {
      const answer = await postJson(url("/api/v1/sentiment"), { text: "fine" }, { "X-User-Id": `user-${user}` });
      expect(answer.body.version).toBe("1");
    }
    await fetch(url("/api/v1/models/sent/default-version"), { method: "DELETE", headers: served.svc.admin });
  });

  test("a manifest edit picked up by a rescan: a new default, a new policy (version 1 served again), and the admin setting gives way", async () => {
    expect((await putDefault("iris", "3")).status).toBe(200);
    await writeFile(join(served.models.dir, "models.yaml"), MANIFEST.replace("    version_policy: { latest: 2 }", "    default_version: 1"));
    await rescan();
    const iris = await entry("iris");
    expect(iris).toMatchObject({ default_version: "1", default_version_from: "manifest", version_policy: { all: true } });
    expect(iris.versions.map((v: any) => [v.version, v.status])).toEqual([
      ["1", "skipped"],
      ["2", "loaded"],
      ["3", "loaded"],
    ]);
    // Version 1, new since start, loads on its first request.
    const answer = await postJson(url("/v2/models/iris/infer"), ROW);
    expect([answer.status, answer.body.model_version]).toEqual([200, "1"]);
    expect((await entry("iris")).versions[0].status).toBe("loaded");
    // Reload by name reloads every version.
    const reload = await postJson(url("/api/v1/models/reload"), { models: ["iris"] }, served.svc.admin);
    expect(reload.body.loaded_models).toEqual(["iris@1", "iris@2", "iris@3"]);
  }, 60_000);
});
