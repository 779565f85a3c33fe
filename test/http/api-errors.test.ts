import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { ADMIN_TOKEN, getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { SERVICE_HOOK_LIMIT_MS } from "../helpers/limits.ts";

const INFERENCE_TOKEN = "test-inference-token-0123456789";

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
}, { MAX_BODY_BYTES: "65536", MAX_BATCH: "8", MAX_TEXT_LENGTH: "100" });

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${served.svc.url}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body, headers: response.headers };
}

function expectApiError(result: { status: number; body: any; headers: Headers }, status: number, code?: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get("content-type")).toMatch(/application\/json/);
  expect(typeof result.body.error.message).toBe("string");
  if (code !== undefined) expect(result.body.error.code).toBe(code);
}

describe("bad bodies", () => {
  test("malformed JSON is 400 invalid_json", async () => {
    expectApiError(await raw("/api/v1/sentiment", { method: "POST", headers: { "content-type": "application/json" }, body: '{"text": "unfinished' }), 400, "invalid_json");
  });

  test("invalid UTF-8 is 400 invalid_encoding", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expectApiError(await raw("/api/v1/sentiment", { method: "POST", body }), 400, "invalid_encoding");
  });

  test("a blank text is NEUTRAL, without asking a model", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: ["", "   ", "wonderful"] });
    expect(result.body.results.map((r: { label: string }) => r.label)).toEqual(["NEUTRAL", "NEUTRAL", "POSITIVE"]);
    expect(result.body.results[0].score).toBe(0.5);
  });

  test("a body without Content-Type is read as JSON (curl -d)", async () => {
    const result = await raw("/api/v1/sentiment", { method: "POST", body: JSON.stringify({ text: "nice" }) });
    expect(result.status).toBe(200);
  });

  test("a wrong field type is 422 naming the field", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: 5 });
    expectApiError(result, 422, "validation_failed");
    expect(result.body.error.message).toContain("/text");
  });

  test("an unknown field is ignored (Elysia normalises bodies to their schema)", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "lovely", mood: "happy" });
    expect(result.status).toBe(200);
    expect(result.body.label).toBe("POSITIVE");
  });

  test("neither or both of text and texts is 422", async () => {
    expectApiError(await postJson(`${served.svc.url}/api/v1/sentiment`, {}), 422);
    expectApiError(await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "a", texts: ["b"] }), 422);
    expectApiError(await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: [] }), 422);
  });

  test("a batch over MAX_BATCH and a text over MAX_TEXT_LENGTH are 422 naming the limit", async () => {
    const batch = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: Array.from({ length: 9 }, () => "ok") });
    expectApiError(batch, 422);
    expect(batch.body.error.message).toContain("MAX_BATCH");
    const long = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: ["ok", "x".repeat(101)] });
    expectApiError(long, 422);
    expect(long.body.error.message).toContain('"texts"[1]');
  });

  test("bad forecast requests are 400 naming the problem", async () => {
    const cases: [unknown, RegExp][] = [
      [{ periods: 0 }, /periods.*at least 1/],
      [{ periods: 100000 }, /periods.*at most/],
      [{ periods: 3, freq: "fortnightly" }, /freq|frequency/i],
      [{ rows: [{ ds: "not a date" }] }, /ds|date/i],
    ];
    for (const [body, message] of cases) {
      const result = await postJson(`${served.svc.url}/api/v1/models/sales_forecast/forecast`, body);
      expectApiError(result, 400);
      expect(result.body.error.message).toMatch(message);
    }
  });
});

describe("body size limit (MAX_BODY_BYTES)", () => {
  const big = JSON.stringify({ text: "x".repeat(70_000) });

  test("with Content-Length: 413 in the JSON error shape", async () => {
    expectApiError(await raw("/api/v1/sentiment", { method: "POST", headers: { "content-type": "application/json" }, body: big }), 413, "payload_too_large");
  });

  test("chunked, without Content-Length: 413 as well", async () => {
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 4096) controller.enqueue(bytes.subarray(offset, offset + 4096));
        controller.close();
      },
    });
    const result = await raw("/api/v1/sentiment", { method: "POST", body: stream, headers: { "content-type": "application/json" } });
    expectApiError(result, 413, "payload_too_large");
  });
});

describe("unknown things", () => {
  test("an unknown model is 404 on every model route", async () => {
    expectApiError(await postJson(`${served.svc.url}/api/v1/models/ghost/forecast`, { periods: 1 }), 404, "model_not_found");
    expectApiError(await postJson(`${served.svc.url}/api/v1/models/reload`, { models: ["ghost"] }, served.svc.admin), 404, "model_not_found");
    const oip = await getJson(`${served.svc.url}/v2/models/ghost`);
    expect(oip.status).toBe(404);
    expect(oip.body).toEqual({ error: 'Model "ghost" not found' });
  });

  test("a very long unknown name is cut in the message", async () => {
    const result = await getJson(`${served.svc.url}/v2/models/${"n".repeat(5000)}`);
    expect(result.status).toBe(404);
    expect(result.body.error.length).toBeLessThan(200);
  });

  test("an unknown route is 404 in the JSON error shape", async () => {
    expectApiError(await raw("/api/v1/nothing-here"), 404, "route_not_found");
  });

  test("path tricks are plain unknown names, never file reads", async () => {
    // (A bare %2e%2e is a dot segment: URL parsing turns /v2/models/%2e%2e into /v2/ before it is sent.)
    for (const name of ["..%2F..%2Fetc%2Fpasswd", "a%2F..%2Fb", "..", "%2e%2e%2fpasswd", "x".repeat(5000)]) {
      const result = await getJson(`${served.svc.url}/v2/models/${name}/ready`);
      expect([400, 404]).toContain(result.status);
      expect(JSON.stringify(result.body)).not.toContain("root:");
    }
    const load = await postJson(`${served.svc.url}/v2/repository/models/..%2F..%2Fetc%2Fpasswd/load`, {}, served.svc.admin);
    expect(load.status).toBe(404);
  });
});

describe("authentication", () => {
  test("reload without a token is 401 with WWW-Authenticate: Bearer", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/models/reload`, {});
    expectApiError(result, 401, "missing_token");
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  test("reload with a wrong token is 401", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/models/reload`, {}, { authorization: "Bearer wrong-token-wrong-token" });
    expectApiError(result, 401, "invalid_token");
    expect(result.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  test("a malformed Authorization header is 401", async () => {
    expectApiError(await postJson(`${served.svc.url}/api/v1/models/reload`, {}, { authorization: `Basic ${btoa("a:b")}` }), 401, "invalid_request");
  });

  test("the right token reloads", async () => {
    const result = await postJson(`${served.svc.url}/api/v1/models/reload`, { models: ["iris_classifier"] }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(result.status).toBe(200);
    expect(result.body.status).toBe("reloaded");
  });
});

describe("no backend can answer", () => {
  test("sentiment is 503 when neither a transformer nor the lexicon is loaded", async () => {
    await postJson(`${served.svc.url}/v2/repository/models/lexicon/unload`, {}, served.svc.admin);
    const result = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "hello" });
    expectApiError(result, 503, "no_backend");
    await postJson(`${served.svc.url}/v2/repository/models/lexicon/load`, {}, served.svc.admin);
    expect((await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "hello" })).status).toBe(200);
  });
});

describe("API documentation works offline", () => {
  test("Swagger UI's page loads its assets from this service, with an Authorize button", async () => {
    const page = await raw("/swagger");
    expect(page.status).toBe(200);
    expect(page.body).toContain("/swagger/assets/swagger-ui-bundle.js");
    expect(page.body).toContain("/swagger/assets/swagger-ui.css");
    expect(page.body).not.toMatch(/https?:\/\/(unpkg|cdn\.jsdelivr)/);
    for (const asset of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
      const response = await fetch(`${served.svc.url}/swagger/assets/${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    const spec = await getJson(`${served.svc.url}/openapi.json`);
    expect(spec.body.components.securitySchemes.adminToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(spec.body.paths["/api/v1/models/reload"].post.security).toEqual([{ adminToken: [] }]);
  });

  test("the hand-written openapi.yaml is served as text a browser shows", async () => {
    const response = await fetch(`${served.svc.url}/openapi.yaml`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/yaml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe("inline");
    expect(await response.text()).toContain("openapi:");
  });
});

describe("inference token (INFERENCE_TOKEN)", () => {
  let guarded: TestService;
  beforeAll(async () => {
    guarded = await startTestService({ MODELS_DIR: served.models.dir, INFERENCE_TOKEN, PRELOAD: "lexicon" });
  }, SERVICE_HOOK_LIMIT_MS);
  afterAll(async () => {
    await guarded?.stop();
  }, SERVICE_HOOK_LIMIT_MS);

  test("inference and registry routes need a token", async () => {
    expect((await postJson(`${guarded.url}/api/v1/sentiment`, { text: "ok" })).status).toBe(401);
    expect((await getJson(`${guarded.url}/api/v1/models/registry`)).status).toBe(401);
    expect((await getJson(`${guarded.url}/v2/models/lexicon`)).status).toBe(401);
    const ok = await postJson(`${guarded.url}/api/v1/sentiment`, { text: "ok" }, { authorization: `Bearer ${INFERENCE_TOKEN}` });
    expect(ok.status).toBe(200);
    const admin = await getJson(`${guarded.url}/api/v1/models/registry`, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(admin.status).toBe(200);
  });

  test("probes and health stay open", async () => {
    expect((await getJson(`${guarded.url}/v2/health/live`)).status).toBe(200);
    expect((await getJson(`${guarded.url}/api/v1/models/health`)).status).toBe(200);
  });

  test("the inference token does not open admin routes (403)", async () => {
    const result = await postJson(`${guarded.url}/api/v1/models/reload`, {}, { authorization: `Bearer ${INFERENCE_TOKEN}` });
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe("forbidden");
  });
});

describe("generated admin token", () => {
  test("without ADMIN_TOKEN a random token is made, logged once, and works", async () => {
    const service = await startTestService({ MODELS_DIR: served.models.dir, ADMIN_TOKEN: "", PRELOAD: "lexicon" });
    try {
      const lines = service.logs.filter((line) => line.includes("generated one for this run"));
      expect(lines).toHaveLength(1);
      const token = service.service.tokens.admin;
      expect(token.length).toBeGreaterThanOrEqual(24);
      expect(lines[0]).toContain(token);
      const result = await postJson(`${service.url}/api/v1/models/reload`, { models: ["lexicon"] }, { authorization: `Bearer ${token}` });
      expect(result.status).toBe(200);
    } finally {
      await service.stop();
    }
  });
});

describe("tokens come before schemas", () => {
  test("a caller without a token and with a body that does not fit gets 401, not 422", async () => {
    const reload = await postJson(`${served.svc.url}/api/v1/models/reload`, { models: 3 });
    expect(reload.status).toBe(401);
    const index = await postJson(`${served.svc.url}/v2/repository/index`, { ready: 3 });
    expect(index.status).toBe(401);
  });
});
