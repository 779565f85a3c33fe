/**
 * A/B and shadow traffic through the real app (in process, `app.handle`) over real demo models
 * copied into a temporary folder: weights, stickiness, routing across models, shadow copies that
 * fail or are slow, pinned versions, weights changed by a manifest edit.
 */
import { describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { ADMIN_TOKEN } from "../helpers/test-service.ts";

const iris = { copy: join(DEMO_MODELS, "iris_classifier.onnx") };
const MANIFEST = [
  "models:",
  "  iris:",
  "    routing:",
  "      variants: [{ version: 1, weight: 90 }, { version: 2, weight: 10 }]",
  "      sticky_header: X-User-Id",
  "  mixed:",
  "    routing:",
  "      variants: [{ model: iris, weight: 1 }, { model: iris_b, weight: 1 }]",
  "  shadowed:",
  "    routing:",
  "      shadow: { model: sales_forecast }", // a Prophet model: every tensor request fails on it
  "  shadowed_broken:",
  "    routing:",
  "      shadow: { model: broken }", // a file that failed to load
  "  half_shadowed:",
  "    routing:",
  "      shadow: { model: iris_b, percent: 50 }",
  "",
].join("\n");

const served = serveModels({
  "iris/1/model.onnx": iris,
  "iris/2/model.onnx": iris,
  "iris_b.onnx": iris,
  "mixed.onnx": iris,
  "shadowed.onnx": iris,
  "shadowed_broken.onnx": iris,
  "half_shadowed.onnx": iris,
  "broken.onnx": "this is not an ONNX model",
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
  "models.yaml": MANIFEST,
});

const ROW = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [6.7, 3.0, 5.2, 2.3] }] };

/** One request through the app in process. */
async function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  const request = new Request(`http://localhost${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const response = await served.svc.service.app.handle(request);
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** Sends `count` requests, `concurrency` at a time; `headers(i)` per request. */
async function many(count: number, path: string, headers: (i: number) => Record<string, string> = () => ({})) {
  const answers: { status: number; version: string | null; model: string | null; body: any }[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++;
        const answer = await call(path, { body: ROW, headers: headers(i) });
        answers[i] = { status: answer.status, version: answer.headers.get("x-model-version"), model: answer.headers.get("x-model-name"), body: answer.body };
      }
    }),
  );
  return answers;
}

async function registryEntry(name: string): Promise<any> {
  return (await call("/api/v1/models/registry")).body.models.find((model: { name: string }) => model.name === name);
}

const share = (answers: { version: string | null }[], version: string) => (100 * answers.filter((answer) => answer.version === version).length) / answers.length;

describe("weights", () => {
  test("10,000 requests land within ±2 % of 90/10: with a distinct sticky key each, and without one", async () => {
    const keyed = await many(5000, "/v2/models/iris/infer", (i) => ({ "X-User-Id": `user-${i}` }));
    const unkeyed = await many(5000, "/v2/models/iris/infer");
    const all = [...keyed, ...unkeyed];
    expect(all.every((answer) => answer.status === 200)).toBe(true);
    for (const answers of [keyed, unkeyed, all]) {
      expect(Math.abs(share(answers, "1") - 90)).toBeLessThanOrEqual(2);
      expect(Math.abs(share(answers, "2") - 10)).toBeLessThanOrEqual(2);
    }
    // Without a key the spread is exact (weighted round robin), not just close.
    expect(share(unkeyed, "2")).toBe(10);
    // The body names the same version as the header, and the registry counted each version.
    expect(all.every((answer) => answer.body.model_version === answer.version && answer.body.model_name === "iris")).toBe(true);
    const entry = await registryEntry("iris");
    const counted = Object.fromEntries(entry.versions.map((version: any) => [version.version, version.traffic.requests]));
    expect(counted).toEqual({ "1": all.filter((a) => a.version === "1").length, "2": all.filter((a) => a.version === "2").length });
    expect(entry.versions.every((version: any) => version.traffic.errors === 0 && version.traffic.latency_ms.count === version.traffic.requests)).toBe(true);
    expect(entry.routing).toEqual({
      variants: [
        { version: "1", weight: 90 },
        { version: "2", weight: 10 },
      ],
      sticky_header: "x-user-id",
      suspended: false,
    });
  }, 180_000);

  test("one key keeps its variant, and many keys each keep theirs", async () => {
    for (let user = 0; user < 20; user++) {
      const answers = await many(25, "/v2/models/iris/infer", () => ({ "X-User-Id": `sticky-${user}` }));
      expect(new Set(answers.map((answer) => answer.version)).size).toBe(1);
    }
    // A key whose hash falls in the 10 % keeps version 2 every time.
    let minority: string | undefined;
    for (let i = 0; minority === undefined; i++) {
      if ((await call("/v2/models/iris/infer", { body: ROW, headers: { "X-User-Id": `probe-${i}` } })).headers.get("x-model-version") === "2") minority = `probe-${i}`;
    }
    const again = await many(50, "/v2/models/iris/infer", () => ({ "X-User-Id": minority! }));
    expect(again.every((answer) => answer.version === "2")).toBe(true);
  }, 60_000);

  test("weights over models: each answer names the model that answered, in its body and headers", async () => {
    const answers = await many(400, "/v2/models/mixed/infer");
    expect(answers.filter((answer) => answer.model === "iris").length).toBe(200);
    expect(answers.filter((answer) => answer.model === "iris_b").length).toBe(200);
    expect(answers.every((answer) => answer.body.model_name === answer.model && answer.body.model_version === answer.version)).toBe(true);
    // A variant naming a model without a version reaches that model's default: iris's newest, 2.
    expect(answers.filter((answer) => answer.model === "iris").every((answer) => answer.version === "2")).toBe(true);
  }, 60_000);

  test("a request for one version is neither routed nor shadowed", async () => {
    const before = (await registryEntry("iris")).versions[0].traffic.requests;
    const answers = await many(100, "/v2/models/iris/versions/1/infer");
    expect(answers.every((answer) => answer.status === 200 && answer.version === "1")).toBe(true);
    expect((await registryEntry("iris")).versions[0].traffic.requests).toBe(before + 100);
  });
});

describe("shadow traffic", () => {
  test("a shadow that fails on every copy never fails a request, nor changes its answer", async () => {
    const pinned = await call("/v2/models/shadowed/versions/1.0.0/infer", { body: ROW });
    for (const name of ["shadowed", "shadowed_broken"]) {
      const answers = await many(200, `/v2/models/${name}/infer`);
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(answers.every((answer) => JSON.stringify(answer.body.outputs) === JSON.stringify(pinned.body.outputs))).toBe(true);
      expect(answers.every((answer) => answer.model === name && answer.version === "1.0.0")).toBe(true);
      // Copies wait for a later turn of the event loop; on a busy machine the 200 answers can all
      // come first, and copies still running would take every slot of the next model's 200.
      await served.svc.service.router.shadowsSettled();
    }
    const sales = (await registryEntry("sales_forecast")).traffic;
    const broken = (await registryEntry("broken")).traffic;
    for (const traffic of [sales, broken]) {
      expect(traffic.shadow_requests + traffic.shadow_dropped).toBe(200);
      expect(traffic.shadow_requests).toBeGreaterThan(0);
      expect(traffic.shadow_failures).toBe(traffic.shadow_requests);
      expect(traffic.requests).toBe(0);
    }
    // 200 routed requests and the pinned one.
    expect((await registryEntry("shadowed")).traffic).toMatchObject({ requests: 201, errors: 0, bad_requests: 0, shadow_requests: 0 });
    expect((await registryEntry("shadowed")).routing).toEqual({ variants: [], shadow: { model: "sales_forecast", percent: 100 }, suspended: false });
  }, 60_000);

  test("percent: half the requests are copied to the shadow model, which answers nobody", async () => {
    const answers = await many(200, "/v2/models/half_shadowed/infer");
    expect(answers.every((answer) => answer.status === 200 && answer.model === "half_shadowed")).toBe(true);
    await served.svc.service.router.shadowsSettled();
    const shadow = (await registryEntry("iris_b")).traffic;
    expect(shadow.shadow_requests + shadow.shadow_dropped).toBe(100);
    expect(shadow.shadow_failures).toBe(0);
  }, 60_000);
});

describe("changing weights", () => {
  test("a manifest edit picked up by a rescan moves the traffic, without a restart", async () => {
    await writeFile(join(served.models.dir, "models.yaml"), MANIFEST.replace("weight: 90 }, { version: 2, weight: 10", "weight: 0 }, { version: 2, weight: 100"));
    const rescan = await call("/v2/repository/index", { body: {}, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(rescan.status).toBe(200);
    const answers = await many(100, "/v2/models/iris/infer", (i) => ({ "X-User-Id": `user-${i}` }));
    expect(answers.every((answer) => answer.version === "2")).toBe(true);
    // Rescanning an unchanged folder changes nothing (idempotent).
    await call("/v2/repository/index", { body: {}, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect((await registryEntry("iris")).routing.variants).toEqual([
      { version: "1", weight: 0 },
      { version: "2", weight: 100 },
    ]);
  }, 60_000);
});
