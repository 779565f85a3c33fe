import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { requestIdFor, requestLog } from "../../../src/http/plugins/request-log.ts";
import { errorHandler } from "../../../src/http/plugins/error-handler.ts";
import { Logger } from "../../../src/logging/logger.ts";
import { NotFoundError } from "../../../src/errors/app-error.ts";
import { setTimeout as sleep } from "node:timers/promises";

function app(format: "json" | "text" = "json") {
  const lines: string[] = [];
  const log = new Logger({ level: "info", format, sink: (line) => lines.push(line) });
  const server = new Elysia()
    .use(requestLog(log))
    .use(errorHandler(log))
    .get("/v2/models/:name", ({ params }) => ({ name: params.name }))
    .get("/v2/models/:name/gone", ({ params }) => {
      throw new NotFoundError(`no ${params.name}`, "model_not_found");
    })
    .get("/raw", () => new Response("bytes", { status: 202, headers: { "content-type": "application/octet-stream" } }));
  return { server, lines };
}

/** Lets onAfterResponse hooks run. */
const settle = () => sleep(5);

describe("access log: one line per request", () => {
  test("JSON lines: method, path, status, duration, model and request id", async () => {
    const { server, lines } = app();
    const response = await server.handle(new Request("http://localhost/v2/models/iris?x=1", { headers: { "x-request-id": "req-42" } }));
    await settle();
    expect(response.headers.get("x-request-id")).toBe("req-42");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: "info", msg: "GET /v2/models/iris 200", method: "GET", path: "/v2/models/iris", status: 200, model: "iris", request_id: "req-42" });
    expect(line.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Object.keys(line)).toEqual(["time", "level", "msg", "method", "path", "status", "duration_ms", "model", "request_id"]);
  });

  test("errors keep their status and get the id too: a thrown 404 and an unknown route", async () => {
    const { server, lines } = app();
    const thrown = await server.handle(new Request("http://localhost/v2/models/iris/gone"));
    const unknown = await server.handle(new Request("http://localhost/nowhere", { method: "POST" }));
    await settle();
    expect([thrown.status, unknown.status]).toEqual([404, 404]);
    for (const response of [thrown, unknown]) expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.map((line) => JSON.parse(line)).map((l) => [l.method, l.path, l.status, l.request_id])).toEqual([
      ["GET", "/v2/models/iris/gone", 404, thrown.headers.get("x-request-id")],
      ["POST", "/nowhere", 404, unknown.headers.get("x-request-id")],
    ]);
  });

  test("a handler's own Response: its status is logged and the id added", async () => {
    const { server, lines } = app();
    const response = await server.handle(new Request("http://localhost/raw"));
    await settle();
    expect([response.status, response.headers.get("x-request-id")?.length]).toEqual([202, 36]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: 202, path: "/raw" });
    expect(JSON.parse(lines[0]!).model).toBeUndefined();
  });

  test("text lines start with the request, fields follow", async () => {
    const { server, lines } = app("text");
    await server.handle(new Request("http://localhost/v2/models/iris", { headers: { "x-request-id": "abc" } }));
    await settle();
    expect(lines[0]).toMatch(/^GET \/v2\/models\/iris 200 method=GET path=\/v2\/models\/iris status=200 duration_ms=[\d.]+ model=iris request_id=abc$/);
  });

  test("a 10,000-character path is cut in the log", async () => {
    const { server, lines } = app();
    await server.handle(new Request(`http://localhost/v2/models/${"a".repeat(10_000)}`));
    await settle();
    const line = JSON.parse(lines[0]!);
    expect(line.path.length).toBeLessThanOrEqual(201);
    expect(line.model.length).toBeLessThanOrEqual(201);
  });
});

describe("X-Request-Id: honoured when sane, made otherwise", () => {
  test.each([["abc-123"], ["0f8fad5b-d9cb-469f-a165-70867728950e"], ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], ["trace:span.1/2+3="]])("kept: %s", (id) => {
    expect(requestIdFor(id)).toBe(id);
  });

  test.each([["", "empty"], ["has space", "a space"], ["line\nbreak", "a line break"], ['quote"', "a quote"], ["x".repeat(129), "129 characters"], ["é", "non-ASCII"]])(
    "replaced: %j (%s)",
    (id) => {
      expect(requestIdFor(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  );

  test("absent: a new id for every request", () => {
    expect(requestIdFor(null)).not.toBe(requestIdFor(null));
  });
});
