/**
 * Bad requests (issue 5) against a real service, beyond test/http/api-errors.test.ts: content
 * types, malformed JSON, missing and extra fields on every POST route, huge strings and arrays,
 * the body limit on /v2 and on chunked bodies, deep nesting, invalid UTF-8, and model-name
 * tricks on every route that takes a name. Each answer is JSON in the route's error shape, the
 * service stays up, and at the end its models are still loaded and answer correctly.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { startTestService, type TestService } from "../helpers/test-service.ts";
import { SERVICE_HOOK_LIMIT_MS } from "../helpers/limits.ts";

const MAX_BODY_BYTES = 1024 * 1024;
const SECRET = `sentinel-${crypto.randomUUID()}`;
const IRIS_SETOSA = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };

let files: TempModels;
let svc: TestService;

beforeAll(async () => {
  // models/ is the models folder; beside it, outside, a valid Prophet export, a valid ONNX model
  // and a secret that no request may ever reach.
  files = await tempModels({
    "models/iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    "models/sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
    "sentinel.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
    "sentinel.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    "secret.txt": SECRET,
    "secret.json": JSON.stringify({ secret: SECRET }),
  });
  svc = await startTestService({ MODELS_DIR: join(files.dir, "models"), MAX_BODY_BYTES: String(MAX_BODY_BYTES), LOG_LEVEL: "warn" });
}, SERVICE_HOOK_LIMIT_MS);

afterAll(async () => {
  await svc?.stop();
  await files?.cleanup();
}, SERVICE_HOOK_LIMIT_MS);

type Answer = { status: number; text: string; body: any; contentType: string };

/** One POST route, a valid body for it, and its error shape. */
interface PostRoute {
  path: string;
  valid: unknown;
  oip: boolean;
  admin?: boolean;
}

const POST_ROUTES: PostRoute[] = [
  { path: "/api/v1/sentiment", valid: { text: "I love this phone" }, oip: false },
  { path: "/api/v1/models/sales_forecast/forecast", valid: { periods: 3 }, oip: false },
  { path: "/api/v1/models/reload", valid: { models: ["lexicon"] }, oip: false, admin: true },
  { path: "/v2/models/iris_classifier/infer", valid: IRIS_SETOSA, oip: true },
  { path: "/v2/models/iris_classifier/versions/1.0.0/infer", valid: IRIS_SETOSA, oip: true },
  { path: "/v2/repository/index", valid: { ready: true }, oip: true, admin: true },
  { path: "/v2/repository/models/lexicon/load", valid: {}, oip: true, admin: true },
];

async function request(path: string, init: RequestInit & { admin?: boolean } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.admin) headers.set("authorization", svc.admin.authorization!);
  const response = await fetch(`${svc.url}${path}`, { ...init, headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body, contentType: response.headers.get("content-type") ?? "" };
}

function post(route: PostRoute, body: BodyInit | null, headers: Record<string, string> = {}): Promise<Answer> {
  return request(route.path, { method: "POST", body, headers, admin: route.admin ?? false });
}

/** The answer is an error of `status` in the route's shape; returns its message. */
function expectError(answer: Answer, status: number | number[], oip: boolean, code?: string): string {
  expect(Array.isArray(status) ? status : [status]).toContain(answer.status);
  expect(answer.contentType).toContain("application/json");
  expect(answer.text).not.toContain(SECRET);
  expect(answer.text).not.toContain(files.dir);
  expect(answer.text).not.toMatch(/\bat \/|node_modules|\.ts:\d+/);
  if (oip) {
    expect(Object.keys(answer.body)).toEqual(["error"]);
    expect(typeof answer.body.error).toBe("string");
    return answer.body.error;
  }
  expect(Object.keys(answer.body)).toEqual(["error"]);
  expect(Object.keys(answer.body.error).sort()).toEqual(["code", "message"]);
  if (code !== undefined) expect(answer.body.error.code).toBe(code);
  return answer.body.error.message;
}

/** Sends bytes as a chunked stream (no Content-Length). */
function chunked(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/**
 * A request written on the socket as given: the path is not normalised (`%2e%2e` stays), and
 * the body need not match Content-Length. Resolves with the status and body of the answer once
 * it is complete or the server closes the connection; status 0 when nothing came within
 * `waitMs` (a limit for a server that waits for a body never sent, sized for a busy machine).
 */
function rawHttp(head: string, body = "", waitMs = 30_000): Promise<{ status: number; body: string }> {
  const port = Number(new URL(svc.url).port);
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on("data", (chunk) => {
      data += chunk.toString("utf8");
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      const bodyStart = data.indexOf("\r\n\r\n");
      if (length !== undefined && bodyStart >= 0 && Buffer.byteLength(data.slice(bodyStart + 4)) >= Number(length)) finish();
    });
    socket.on("end", finish);
    socket.on("error", (error) => (done ? undefined : reject(error)));
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n${body}`);
  });
}

const encoder = new TextEncoder();

describe("content types other than application/json", () => {
  for (const route of POST_ROUTES) {
    test(`${route.path}: a JSON body is read as JSON whatever the Content-Type says`, async () => {
      for (const type of ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) {
        const answer = await post(route, JSON.stringify(route.valid), { "content-type": type });
        expect(answer.status).toBe(200);
      }
    });

    test(`${route.path}: XML, a real multipart form and a urlencoded form are 400 invalid_json`, async () => {
      const form = new FormData();
      form.append("text", "I love this phone");
      const bodies: [BodyInit, Record<string, string>][] = [
        ['<?xml version="1.0"?><request><text>hi</text></request>', { "content-type": "application/xml" }],
        [form, {}],
        ["text=I+love+this+phone", { "content-type": "application/x-www-form-urlencoded" }],
        ["I love this phone", { "content-type": "text/plain" }],
      ];
      for (const [body, headers] of bodies) {
        const message = expectError(await post(route, body, headers), 400, route.oip, "invalid_json");
        expect(message).toContain("not valid JSON");
      }
    });
  }
});

describe("malformed JSON on every POST route", () => {
  for (const route of POST_ROUTES) {
    test(`${route.path}: truncated, trailing garbage, single quotes, NaN literal, two documents → 400`, async () => {
      const valid = JSON.stringify(route.valid);
      const broken = [valid.slice(0, -1), `${valid}}`, valid.replaceAll('"', "'"), '{"periods": NaN}', valid + valid, "{", "nul"];
      for (const text of broken.filter((candidate) => candidate !== valid)) {
        expectError(await post(route, text, { "content-type": "application/json" }), 400, route.oip, "invalid_json");
      }
    });
  }
});

describe("missing fields", () => {
  const forecast = POST_ROUTES[1]!;
  const infer = POST_ROUTES[3]!;

  test("forecast: no body, {}, freq alone, empty rows, a row without ds → 400 naming what is missing", async () => {
    const cases: [BodyInit | null, RegExp][] = [
      [null, /JSON object/],
      ["{}", /periods.*rows/],
      ['{"freq": "D"}', /periods.*rows/],
      ['{"rows": []}', /at least one row/],
      ['{"rows": [{}]}', /rows\[0\]\.ds is missing/],
    ];
    for (const [body, message] of cases) expect(expectError(await post(forecast, body), 400, false)).toMatch(message);
  });

  test("infer: no body, {}, and each field of an input missing → 400 naming it", async () => {
    const input = IRIS_SETOSA.inputs[0]!;
    const without = (field: string) => JSON.stringify({ inputs: [Object.fromEntries(Object.entries(input).filter(([key]) => key !== field))] });
    const cases: [BodyInit | null, RegExp][] = [
      [null, /object/],
      ["{}", /inputs/],
      ['{"inputs": [{}]}', /inputs\/0/],
      [without("name"), /inputs\/0\/name/],
      [without("datatype"), /inputs\/0\/datatype/],
      [without("shape"), /inputs\/0\/shape/],
      [without("data"), /Input "input" has no "data"/],
      ['{"inputs": []}', /Input "input" is missing/],
    ];
    for (const [body, message] of cases) expect(expectError(await post(infer, body), 400, true)).toMatch(message);
  });

  test("infer: a shape of numeric strings is 400 (the protocol's shape is integers; nothing is coerced)", async () => {
    const body = JSON.stringify({ inputs: [{ ...IRIS_SETOSA.inputs[0]!, shape: ["1", "4"] }] });
    expect(expectError(await post(infer, body), 400, true)).toMatch(/inputs\/0\/shape\/0/);
  });

  test("sentiment: neither text nor texts, or a texts element that is not a string → 422", async () => {
    const sentiment = POST_ROUTES[0]!;
    expectError(await post(sentiment, '{"txt": "typo"}'), 422, false, "validation_failed");
    expect(expectError(await post(sentiment, '{"texts": ["ok", null]}'), 422, false)).toContain("/texts/1");
  });

  test("the admin actions take no body at all", async () => {
    for (const route of POST_ROUTES.filter((candidate) => candidate.admin)) expect((await post(route, null)).status).toBe(200);
  });
});

describe("extra fields", () => {
  test("forecast: an unknown field is 400 naming it (a typo would otherwise change nothing silently)", async () => {
    const message = expectError(await post(POST_ROUTES[1]!, '{"periods": 3, "period": 5}'), 400, false);
    expect(message).toContain('"period"');
  });

  test("infer: extra fields at the top and in an input are ignored, the answer is right", async () => {
    const body = { ...IRIS_SETOSA, extra: { nested: [1] }, inputs: [{ ...IRIS_SETOSA.inputs[0], extra: "x" }] };
    const answer = await post(POST_ROUTES[3]!, JSON.stringify(body));
    expect(answer.status).toBe(200);
    expect(answer.body.outputs.find((output: { name: string }) => output.name === "label").data).toEqual([0]);
  });

  test("index, reload and load ignore unknown fields; load refuses a configuration or files", async () => {
    expect((await post(POST_ROUTES[5]!, '{"ready": true, "verbose": 1}')).status).toBe(200);
    expect((await post(POST_ROUTES[2]!, '{"models": ["lexicon"], "force": true}')).status).toBe(200);
    expect((await post(POST_ROUTES[6]!, '{"unknown": 1}')).status).toBe(200);
    for (const parameters of [{ config: "{}" }, { "file:1/model.onnx": "AAAA" }]) {
      const message = expectError(await post(POST_ROUTES[6]!, JSON.stringify({ parameters })), 400, true);
      expect(message).toContain("refused");
    }
  });
});

describe("huge strings and arrays within the body limit", () => {
  const big = (value: unknown) => {
    const text = JSON.stringify(value);
    expect(text.length).toBeLessThan(MAX_BODY_BYTES);
    return text;
  };

  test("sentiment: a 900 KB text and 200 000 texts are 422 naming the limit", async () => {
    const sentiment = POST_ROUTES[0]!;
    expect(expectError(await post(sentiment, big({ text: "good ".repeat(180_000) })), 422, false)).toContain("MAX_TEXT_LENGTH");
    expect(expectError(await post(sentiment, big({ texts: Array.from({ length: 200_000 }, () => "a") })), 422, false)).toContain("MAX_BATCH");
  });

  test("infer: 200 000 data elements, a 10^18-element shape and a 900 KB input name are 400", async () => {
    const infer = POST_ROUTES[3]!;
    const input = IRIS_SETOSA.inputs[0]!;
    const data = Array.from({ length: 200_000 }, () => 1);
    expect(expectError(await post(infer, big({ inputs: [{ ...input, data }] })), 400, true)).toContain("200000");
    expectError(await post(infer, big({ inputs: [{ ...input, shape: [1e9, 1e9] }] })), 400, true);
    const message = expectError(await post(infer, big({ inputs: [{ ...input, name: "n".repeat(900_000) }] })), 400, true);
    expect(message.length).toBeLessThan(2000);
  });

  test("forecast: 40 000 rows and periods of 1e308 are 400 naming the limit", async () => {
    const forecast = POST_ROUTES[1]!;
    const rows = Array.from({ length: 40_000 }, () => ({ ds: "2024-01-01" }));
    expectError(await post(forecast, big({ rows })), 400, false);
    expect(expectError(await post(forecast, big({ periods: 1e308 })), 400, false)).toContain("at most");
  });

  test("reload: 1 000 copies of one name reload it once", async () => {
    const loads = () => svc.service.cache.entry("iris_classifier")!.load_count;
    const before = loads();
    const answer = await post(POST_ROUTES[2]!, big({ models: Array.from({ length: 1000 }, () => "iris_classifier") }));
    expect(answer.status).toBe(200);
    expect(answer.body.loaded_models).toEqual(["iris_classifier"]);
    expect(loads()).toBe(before + 1);
  });

  test("reload: 5 000 names, and one name of 10 000 characters, are 422", async () => {
    const reload = POST_ROUTES[2]!;
    expectError(await post(reload, big({ models: Array.from({ length: 5000 }, (_, i) => `m${i}`) })), 422, false, "validation_failed");
    expectError(await post(reload, big({ models: ["x".repeat(10_000)] })), 422, false, "validation_failed");
  });
});

describe("bodies over MAX_BODY_BYTES", () => {
  const over = encoder.encode(JSON.stringify({ text: "x".repeat(MAX_BODY_BYTES + 10) }));

  for (const route of POST_ROUTES) {
    test(`${route.path}: 413 with Content-Length and 413 chunked, in the route's error shape`, async () => {
      const message = expectError(await post(route, over), 413, route.oip, "payload_too_large");
      expect(message).toContain(String(MAX_BODY_BYTES));
      expectError(await post(route, chunked(over)), 413, route.oip, "payload_too_large");
    });
  }

  test("a body of exactly MAX_BODY_BYTES is read (its content is judged, not its size)", async () => {
    const prefix = '{"text":"';
    const exact = `${prefix}${"x".repeat(MAX_BODY_BYTES - prefix.length - 2)}"}`;
    expect(encoder.encode(exact).length).toBe(MAX_BODY_BYTES);
    expect(expectError(await post(POST_ROUTES[0]!, exact), 422, false)).toContain("MAX_TEXT_LENGTH");
    expect((await post(POST_ROUTES[0]!, chunked(encoder.encode(exact)))).status).toBe(422);
  });

  test("a chunked body many times the limit is cut off with the JSON 413", async () => {
    const huge = new Uint8Array(6 * MAX_BODY_BYTES).fill(0x20);
    const answer = await post(POST_ROUTES[3]!, chunked(huge, 256 * 1024));
    expectError(answer, 413, true);
  });

  test("a declared Content-Length over the limit is refused before any body is sent", async () => {
    const answer = await rawHttp(`POST /v2/models/iris_classifier/infer HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES + 1}`);
    expect(answer.status).toBe(413);
    // No body was sent: a server that waited for it would not have answered at all.
    expect(JSON.parse(answer.body)).toEqual({ error: `Request body is over the limit of ${MAX_BODY_BYTES} bytes` });
  });

  test("however large the declared Content-Length (here 4 GiB), the 413 is our JSON error", async () => {
    const answer = await rawHttp(`POST /api/v1/sentiment HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${4 * 1024 ** 3}`);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: "payload_too_large", message: `Request body is over the limit of ${MAX_BODY_BYTES} bytes` } });
  });
});

describe("deeply nested JSON", () => {
  const arrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const objects = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

  for (const route of POST_ROUTES) {
    test(`${route.path}: 100 000 levels of arrays or objects, bare or in a field → 400, and the server stays up`, async () => {
      for (const body of [arrays(100_000), objects(100_000), `{"texts":${arrays(10_000)}}`, `{"inputs":[{"name":"input","datatype":"FP32","shape":[1,4],"data":${arrays(5000)}}]}`, `{"rows":${objects(1000)}}`]) {
        const message = expectError(await post(route, body), 400, route.oip, "invalid_json");
        expect(message).toContain("nested deeper than 100 levels");
      }
      expect((await request("/v2/health/live")).status).toBe(200);
    });
  }

  test("100 levels pass the reader (the route then judges the content); brackets inside strings do not count", async () => {
    const sentiment = POST_ROUTES[0]!;
    const hundred = `{"text":${arrays(99)}}`;
    expect(expectError(await post(sentiment, hundred), 422, false, "validation_failed")).toContain("/text");
    const answer = await post(sentiment, JSON.stringify({ text: `${"[{".repeat(5000)} good` }));
    expect(answer.status).toBe(200);
  });
});

describe("invalid UTF-8 on every POST route", () => {
  const bodies = [
    [0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d], // {"t":"\xC3(": a cut two-byte sequence
    [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
    [0xc0, 0xaf], // an overlong "/"
    [0xff, 0xfe, 0x7b, 0x7d], // a UTF-16 byte-order mark
  ].map((bytes) => new Uint8Array(bytes));

  for (const route of POST_ROUTES) {
    test(`${route.path}: 400 invalid_encoding`, async () => {
      for (const body of bodies) {
        const message = expectError(await post(route, body, { "content-type": "application/json; charset=utf-8" }), 400, route.oip, "invalid_encoding");
        expect(message).toContain("UTF-8");
      }
    });
  }
});

describe("model-name tricks never reach the file system", () => {
  /** Routes that take a name, as [method, path of a name, error shape]. */
  const NAME_ROUTES: [string, (name: string) => string, boolean, unknown?][] = [
    ["GET", (name) => `/v2/models/${name}`, true],
    ["GET", (name) => `/v2/models/${name}/ready`, true],
    ["GET", (name) => `/v2/models/${name}/versions/1.0.0`, true],
    ["GET", (name) => `/v2/models/${name}/versions/1.0.0/ready`, true],
    ["POST", (name) => `/v2/models/${name}/infer`, true, IRIS_SETOSA],
    ["POST", (name) => `/v2/models/${name}/versions/1.0.0/infer`, true, IRIS_SETOSA],
    ["POST", (name) => `/v2/repository/models/${name}/load`, true],
    ["POST", (name) => `/v2/repository/models/${name}/unload`, true],
    ["POST", (name) => `/api/v1/models/${name}/forecast`, false, { periods: 3 }],
  ];
  /** Names as the client sends them (fetch resolves raw dot segments; encoded ones reach the server). */
  const TRICKS = [
    "..%2F..%2Fetc%2Fpasswd",
    "..%2Fsentinel",
    "..%2Fsentinel.json",
    "..%2Fsecret.txt",
    "..%2Fmodels%2Firis_classifier",
    "a%2F..%2Fb",
    "%2e%2e%2fsentinel",
    "%252e%252e%252fsentinel",
    "..%5Csentinel",
    "%00",
    "sales_forecast%00",
    "iris_classifier.onnx",
    "sales_forecast.json",
    "~",
    "x".repeat(10_000),
  ];

  test("every route that takes a name answers 400 or 404 for each trick, in its error shape", async () => {
    for (const [method, path, oip, body] of NAME_ROUTES) {
      for (const trick of TRICKS) {
        const answer = await request(path(trick), { method, admin: true, ...(body !== undefined && { body: JSON.stringify(body) }) });
        expectError(answer, [400, 404], oip);
      }
    }
  });

  test("raw dot segments: ../../etc/passwd and a/../b are resolved by the client; neither reads a file", async () => {
    for (const [method, path, , body] of NAME_ROUTES) {
      for (const trick of ["../../etc/passwd", "a/../b", "../sentinel", "./../secret.txt"]) {
        const answer = await request(path(trick), { method, admin: true, ...(body !== undefined && { body: JSON.stringify(body) }) });
        expect([400, 404]).toContain(answer.status);
        expect(answer.text).not.toContain(SECRET);
        expect(answer.text).not.toContain("root:");
      }
    }
  });

  test("%2e%2e sent verbatim (as curl --path-as-is does) is a name like any other: 404", async () => {
    for (const [method, path] of NAME_ROUTES) {
      for (const trick of ["%2e%2e", "%2E%2E%2Fsentinel", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e"]) {
        const answer = await rawHttp(`${method} ${path(trick)} HTTP/1.1\r\nAuthorization: ${svc.admin.authorization}\r\nContent-Length: 2`, "{}");
        expect([400, 404]).toContain(answer.status);
        expect(answer.body).not.toContain(SECRET);
      }
    }
  });

  test("load and reload take registered names only: a valid model outside the folder is never loaded", async () => {
    for (const name of ["..%2Fsentinel", "..%2Fsentinel.json", "..%2Fsentinel.onnx", "%2Fetc%2Fpasswd"]) {
      const load = await request(`/v2/repository/models/${name}/load`, { method: "POST", admin: true });
      expect(expectError(load, 404, true)).toContain("not found");
    }
    for (const models of [["../sentinel"], ["../sentinel.json"], ["/etc/passwd"], ["../../../../etc/passwd"]]) {
      const reload = await request("/api/v1/models/reload", { method: "POST", admin: true, body: JSON.stringify({ models }) });
      expectError(reload, [404, 422], false);
    }
    const forecast = await request("/api/v1/models/..%2Fsentinel/forecast", { method: "POST", body: '{"periods": 3}' });
    expectError(forecast, 404, false, "model_not_found");
    const registry = await request("/api/v1/models/registry");
    expect(registry.body.models.map((model: { name: string }) => model.name).sort()).toEqual(["iris_classifier", "lexicon", "sales_forecast"]);
    expect(registry.text).not.toContain("sentinel");
    expect(await readFile(join(files.dir, "secret.txt"), "utf8")).toBe(SECRET);
  });

  test("Swagger UI asset names: inherited property names and paths are 404, not a 500 or a file", async () => {
    for (const file of ["__proto__", "constructor", "toString", "hasOwnProperty", "..%2F..%2Fpackage.json", "%2e%2e%2fopenapi.yaml", "swagger-ui.css%00"]) {
      const answer = await request(`/swagger/assets/${file}`);
      expectError(answer, 404, false, "not_found");
    }
  });

  test("reload body names with path tricks are 404 or 422, never a file read", async () => {
    for (const name of ["..", "a/../b", "%2e%2e", "\u0000", "x".repeat(128)]) {
      const answer = await request("/api/v1/models/reload", { method: "POST", admin: true, body: JSON.stringify({ models: [name] }) });
      expectError(answer, [404, 422], false);
    }
  });
});

describe("after all of it", () => {
  test("the models are still loaded, without failures, and answer correctly", async () => {
    const registry = await request("/api/v1/models/registry");
    for (const model of registry.body.models) {
      expect(model.status).toBe("loaded");
      expect(model.failure_count).toBe(0);
    }
    const iris = await request("/v2/models/iris_classifier/infer", { method: "POST", body: JSON.stringify(IRIS_SETOSA) });
    expect(iris.status).toBe(200);
    expect(iris.body.outputs.find((output: { name: string }) => output.name === "label").data).toEqual([0]);
    const forecast = await request("/api/v1/models/sales_forecast/forecast", { method: "POST", body: '{"periods": 3}' });
    expect(forecast.status).toBe(200);
    expect(forecast.body.forecast).toHaveLength(3);
    const sentiment = await request("/api/v1/sentiment", { method: "POST", body: '{"text": "I love this phone"}' });
    expect(sentiment.body.label).toBe("POSITIVE");
    expect((await request("/v2/health/live")).body).toEqual({ live: true });
    expect(svc.logs.filter((line) => line.includes("Unhandled error"))).toEqual([]);
  });
});
