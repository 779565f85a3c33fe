/**
 * CORS (`CORS_ORIGINS`): off by default; listed origins get their own origin back, `*` gets `*`;
 * preflights are answered 204 before routing; normal answers, redirects and errors all carry the
 * headers; origins not listed get none. In process through `app.handle`, plus one real HTTP
 * request per case that needs the listening server (the 413 decided from Content-Length).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from "../../src/http/plugins/cors.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { startTestService, type TestService } from "../helpers/test-service.ts";

const LISTED = "http://app.example";
const ALSO_LISTED = "http://localhost:5173";
const UNLISTED = "http://evil.example";

let models: TempModels;
const services: Record<"off" | "listed" | "any", TestService | undefined> = { off: undefined, listed: undefined, any: undefined };

beforeAll(async () => {
  models = await tempModels({});
  const base = { MODELS_DIR: models.dir, MAX_BODY_BYTES: "1024" };
  services.off = await startTestService(base);
  services.listed = await startTestService({ ...base, CORS_ORIGINS: `${LISTED}, ${ALSO_LISTED}` });
  services.any = await startTestService({ ...base, CORS_ORIGINS: "*" });
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((svc) => svc?.stop()));
  await models?.cleanup();
}, 60_000);

/** A request to a service, in process. */
function send(which: keyof typeof services, path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(services[which]!.service.app.handle(new Request(`http://localhost${path}`, init)));
}

const preflight = (origin: string, method = "POST", headers = "authorization, content-type"): RequestInit => ({
  method: "OPTIONS",
  headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
});

describe("off (no CORS_ORIGINS)", () => {
  test("no CORS header on answers or preflights", async () => {
    const get = await send("off", "/v2/health/live", { headers: { origin: LISTED } });
    expect([get.status, get.headers.get("access-control-allow-origin"), get.headers.get("vary")]).toEqual([200, null, null]);
    const options = await send("off", "/api/v1/sentiment", preflight(LISTED));
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
    expect(options.headers.get("access-control-allow-methods")).toBeNull();
  });
});

describe("a list of origins", () => {
  test("a preflight from a listed origin: 204 with its origin, the methods, the headers, a max age", async () => {
    for (const origin of [LISTED, ALSO_LISTED]) {
      const response = await send("listed", "/api/v1/models/reload", preflight(origin));
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-methods")).toBe(CORS_ALLOW_METHODS);
      expect(response.headers.get("access-control-max-age")).toBe(String(CORS_MAX_AGE_SECONDS));
      expect(response.headers.get("vary")).toBe("Origin");
      const allowed = response.headers.get("access-control-allow-headers")!.toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type", "inference-header-content-length", "x-request-id"]));
    }
    expect(CORS_ALLOW_METHODS.split(", ")).toEqual(["GET", "POST", "OPTIONS"]);
    expect(CORS_ALLOW_HEADERS).toContain("Authorization");
  });

  test("a preflight on any path is answered, even one no route serves", async () => {
    const response = await send("listed", "/no/such/route", preflight(LISTED, "GET"));
    expect([response.status, response.headers.get("access-control-allow-origin")]).toEqual([204, LISTED]);
  });

  test("a preflight from an origin not listed: no CORS header (the browser refuses the call)", async () => {
    const response = await send("listed", "/api/v1/models/reload", preflight(UNLISTED));
    expect(response.status).toBe(204);
    for (const header of ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age"]) {
      expect([header, response.headers.get(header)]).toEqual([header, null]);
    }
    expect(response.headers.get("vary")).toBe("Origin");
  });

  test("an OPTIONS request that is not a preflight is not answered as one", async () => {
    const response = await send("listed", "/v2/health/live", { method: "OPTIONS", headers: { origin: LISTED } });
    expect(response.status).not.toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBeNull();
  });

  test("normal answers carry the listed origin, Vary and the exposed headers; others get no CORS header", async () => {
    const listed = await send("listed", "/api/v1/models/registry", { headers: { origin: ALSO_LISTED } });
    expect([listed.status, listed.headers.get("access-control-allow-origin"), listed.headers.get("vary")]).toEqual([200, ALSO_LISTED, "Origin"]);
    expect(listed.headers.get("access-control-expose-headers")).toBe(CORS_EXPOSE_HEADERS);
    const unlisted = await send("listed", "/api/v1/models/registry", { headers: { origin: UNLISTED } });
    expect([unlisted.status, unlisted.headers.get("access-control-allow-origin"), unlisted.headers.get("vary")]).toEqual([200, null, "Origin"]);
    const none = await send("listed", "/api/v1/models/registry");
    expect([none.status, none.headers.get("access-control-allow-origin")]).toEqual([200, null]);
  });

  test("a sentiment POST with a JSON body from a listed origin", async () => {
    const response = await send("listed", "/api/v1/sentiment", {
      method: "POST",
      headers: { origin: LISTED, "content-type": "application/json" },
      body: JSON.stringify({ text: "I love it" }),
    });
    expect([response.status, response.headers.get("access-control-allow-origin")]).toEqual([200, LISTED]);
    expect(((await response.json()) as { label: string }).label).toBe("POSITIVE");
  });

  describe("errors carry the headers too", () => {
    const cases: [string, number, string, RequestInit][] = [
      ["no route (404)", 404, "/no/such/route", {}],
      ["an admin route without a token (401)", 401, "/api/v1/models/reload", { method: "POST" }],
      ["a wrong token (401)", 401, "/api/v1/models/registry", { headers: { authorization: "Bearer not-the-token-at-all" } }],
      ["a body that is not JSON (400, /v2)", 400, "/v2/models/lexicon/infer", { method: "POST", body: "{" }],
      ["a body that does not fit (422)", 422, "/api/v1/sentiment", { method: "POST", body: JSON.stringify({ text: 3 }) }],
      ["an unknown model (404)", 404, "/v2/models/nope", {}],
      ["a redirect (302)", 302, "/docs", {}],
    ];
    for (const [name, status, path, init] of cases) {
      test(name, async () => {
        const response = await send("listed", path, { ...init, headers: { ...(init.headers as Record<string, string>), origin: LISTED } });
        expect([response.status, response.headers.get("access-control-allow-origin"), response.headers.get("vary")]).toEqual([status, LISTED, "Origin"]);
      });
    }

    test("the 401's WWW-Authenticate is exposed to the page", async () => {
      const response = await send("listed", "/api/v1/models/reload", { method: "POST", headers: { origin: LISTED } });
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="model-cache"');
      expect(response.headers.get("access-control-expose-headers")).toBe(CORS_EXPOSE_HEADERS);
    });

    test("a body over MAX_BODY_BYTES (413, over real HTTP)", async () => {
      const response = await fetch(`${services.listed!.url}/api/v1/sentiment`, {
        method: "POST",
        headers: { origin: LISTED },
        body: JSON.stringify({ text: "x".repeat(2048) }),
      });
      expect([response.status, response.headers.get("access-control-allow-origin")]).toEqual([413, LISTED]);
    });
  });

  test("over real HTTP, a preflight and a call from a listed origin", async () => {
    const url = `${services.listed!.url}/api/v1/models/registry`;
    const options = await fetch(url, preflight(LISTED, "GET", "authorization"));
    expect([options.status, options.headers.get("access-control-allow-origin")]).toEqual([204, LISTED]);
    const get = await fetch(url, { headers: { origin: LISTED } });
    expect([get.status, get.headers.get("access-control-allow-origin")]).toEqual([200, LISTED]);
  });
});

describe("* (any origin)", () => {
  test("preflights and answers carry *, for any origin", async () => {
    for (const origin of [LISTED, UNLISTED]) {
      const options = await send("any", "/api/v1/sentiment", preflight(origin));
      expect([options.status, options.headers.get("access-control-allow-origin")]).toEqual([204, "*"]);
      expect(options.headers.get("access-control-allow-headers")).toContain("Authorization");
      const get = await send("any", "/v2/health/live", { headers: { origin } });
      expect([get.status, get.headers.get("access-control-allow-origin")]).toEqual([200, "*"]);
    }
  });

  test("no CORS header without an Origin header", async () => {
    const get = await send("any", "/v2/health/live");
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});
