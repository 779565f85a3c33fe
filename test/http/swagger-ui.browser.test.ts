/**
 * Swagger UI as a person meets it: headless Chromium (Debian's `chromium`, driven by
 * playwright-core; no browser is ever downloaded) opens /docs on a service started on a random
 * port over the demo models as shipped, and through "Try it out" → "Execute" runs sentiment,
 * iris inference, a forecast and the registry with the examples the editor is pre-filled with,
 * then authorizes with the admin token and reloads. Every status and a value of every response
 * panel are checked, and at the end that no request left the machine and that the console
 * showed no error. A page on another origin calls the API through CORS.
 *
 * Without Debian's chromium on PATH its tests skip (counted in the run's one summary line);
 * MODEL_CACHE_REQUIRE_TOOLS=1 (CI) makes that a failure.
 */
import { expect } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { REPO_ROOT } from "../helpers/paths.ts";
import { requireTool } from "../helpers/require-tool.ts";
import { shippedDemoModels, tempModels, type TempModels } from "../helpers/temp-models.ts";
import { ADMIN_TOKEN, startTestService, type TestService } from "../helpers/test-service.ts";
import { runtime } from "#runtime";
import type { RunningServer } from "../../src/runtime/runtime-api.ts";

const browser = requireTool("chromium");
const { afterAll, beforeAll, describe, test } = browser;

/**
 * A quiet, offline browser: no background, component-update or sync traffic, no QUIC. The
 * profile is a fresh temporary folder (`launchPersistentContext` passes it as --user-data-dir).
 */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Generous: a 2-core machine may be busy with other tests. */
const WAIT_MS = 60_000;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

const DOC = runtime.parseYaml(await readFile(join(REPO_ROOT, "openapi.yaml"), "utf8")) as { paths: Record<string, Record<string, unknown>> };
const OPERATION_COUNT = Object.values(DOC.paths).reduce((sum, item) => sum + Object.keys(item).filter((key) => ["get", "put", "post", "delete", "patch"].includes(key)).length, 0);

/** What an operation's panel showed: the pre-filled inputs, then the live response. */
interface Execution {
  params: Record<string, string>;
  body: string | undefined;
  status: number;
  response: string;
}

/** Expands an operation, presses "Try it out" and "Execute", and reads the response panel. */
async function tryItOut(page: Page, tag: string, operationId: string): Promise<Execution> {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator(".opblock-summary-control").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  const params = Object.fromEntries(
    await operation.locator("tr[data-param-name]").evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute("data-param-name") ?? "", row.querySelector("input")?.value ?? ""]),
    ),
  );
  const editor = operation.locator("textarea.body-param__text");
  const body = (await editor.count()) > 0 ? await editor.inputValue() : undefined;
  await operation.getByRole("button", { name: "Execute" }).click();
  const row = operation.locator(".live-responses-table tr.response");
  await row.waitFor();
  return { params, body, status: Number((await row.locator(".response-col_status").innerText()).trim()), response: await responseBody(row) };
}

async function responseBody(row: Locator): Promise<string> {
  return (await row.locator(".response-col_description pre").first().innerText()).trim();
}

describe("Swagger UI in Chromium", () => {
  let models: TempModels;
  let svc: TestService;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let allowedPages: RunningServer;
  let otherPages: RunningServer;
  /** Every URL the browser requested. */
  const requested: string[] = [];
  /** Console errors and uncaught exceptions of the Swagger UI page and the allowed page. */
  const errors: string[] = [];

  const watch = (target: Page) => {
    target.on("console", (message) => {
      if (message.type() === "error") errors.push(`${target.url()}: ${message.text()}`);
    });
    target.on("pageerror", (error) => errors.push(`${target.url()}: ${error.message}`));
  };

  beforeAll(async () => {
    // Two tiny sites for the CORS checks, on their own ports: one allowed, one not.
    const blank = () => new Response("<!doctype html><title>another site</title>", { headers: { "content-type": "text/html" } });
    allowedPages = runtime.serve({ fetch: blank }, { hostname: "127.0.0.1", port: 0 });
    otherPages = runtime.serve({ fetch: blank }, { hostname: "127.0.0.1", port: 0 });
    models = await tempModels(await shippedDemoModels());
    svc = await startTestService({ MODELS_DIR: models.dir, CORS_ORIGINS: `http://127.0.0.1:${allowedPages.port}` });
    profile = await mkdtemp(join(tmpdir(), "model-cache-chromium-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(profile, { executablePath: browser.path!, headless: true, args: CHROMIUM_FLAGS, timeout: WAIT_MS });
    context.setDefaultTimeout(WAIT_MS);
    context.on("request", (request) => requested.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    watch(page);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await svc?.stop();
    await allowedPages?.stop(true);
    await otherPages?.stop(true);
    await models?.cleanup();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  }, 60_000);

  test("/docs/ and /docs lead to /swagger, which shows every operation of openapi.yaml", async () => {
    await page.goto(`${svc.url}/docs/`);
    expect(new URL(page.url()).pathname).toBe("/swagger");
    await page.goto(`${svc.url}/docs`);
    expect(new URL(page.url()).pathname).toBe("/swagger");
    await page.locator("#operations-sentiment-analyzeSentiment").waitFor();
    expect(await page.locator(".opblock").count()).toBe(OPERATION_COUNT);
    expect(await page.locator(".information-container .title").innerText()).toContain("model-cache");
    expect(await page.title()).toContain("model-cache");
    // The page's icon: the browser asks for /favicon.ico, which answers with Swagger UI's.
    const icon = await page.request.get(`${svc.url}/favicon.ico`);
    expect([icon.status(), icon.headers()["content-type"]]).toEqual([200, "image/png"]);
  }, 120_000);

  test("sentiment: the editor holds the example text, Execute answers POSITIVE", async () => {
    const run = await tryItOut(page, "sentiment", "analyzeSentiment");
    expect(JSON.parse(run.body!)).toEqual({ text: "Great value, works perfectly" });
    expect(run.status).toBe(200);
    expect(JSON.parse(run.response)).toMatchObject({ label: "POSITIVE" });
  }, 120_000);

  test("iris inference: iris_classifier in the path, two flowers classified", async () => {
    const run = await tryItOut(page, "inference", "infer");
    expect(run.params).toEqual({ name: "iris_classifier" });
    expect(run.status).toBe(200);
    const answer = JSON.parse(run.response) as { model_name: string; outputs: { name: string; data: number[] }[] };
    expect(answer.model_name).toBe("iris_classifier");
    expect(answer.outputs.find((output) => output.name === "label")?.data).toEqual([0, 2]);
  }, 120_000);

  test("forecast: sales_forecast in the path, seven days forecast", async () => {
    const run = await tryItOut(page, "forecast", "forecast");
    expect(run.params).toEqual({ name: "sales_forecast" });
    expect(JSON.parse(run.body!)).toMatchObject({ periods: 7 });
    expect(run.status).toBe(200);
    const answer = JSON.parse(run.response) as { model: string; forecast: { yhat: number }[] };
    expect([answer.model, answer.forecast.length, typeof answer.forecast[0]!.yhat]).toEqual(["sales_forecast", 7, "number"]);
  }, 120_000);

  test("registry: every demo model, loaded", async () => {
    const run = await tryItOut(page, "models", "getRegistry");
    expect(run.status).toBe(200);
    const registry = JSON.parse(run.response) as { models: { name: string; status: string }[] };
    expect(registry.models.map((model) => model.name)).toEqual(expect.arrayContaining(["iris_classifier", "sales_forecast", "sentiment-bert", "lexicon"]));
    expect(registry.models.every((model) => model.status === "loaded")).toBe(true);
  }, 120_000);

  test("Authorize says which token opens what; with the admin token, reload answers 200", async () => {
    await page.locator(".auth-wrapper .authorize").click();
    const dialog = page.locator(".modal-ux");
    const text = await dialog.innerText();
    expect(text).toContain("adminToken");
    expect(text).toContain("inferenceToken");
    expect(text).toContain("need no token");
    const admin = dialog.locator(".auth-container").filter({ hasText: "adminToken" });
    await admin.locator("input").fill(ADMIN_TOKEN);
    await admin.getByRole("button", { name: "Apply credentials" }).click();
    await admin.getByRole("button", { name: "Remove authorization" }).waitFor();
    await admin.locator("button.btn-done").click();
    await dialog.waitFor({ state: "detached" });

    const sent = page.waitForRequest((request) => request.url().endsWith("/api/v1/models/reload"));
    const run = await tryItOut(page, "models", "reloadModels");
    expect((await sent).headers().authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(JSON.parse(run.body!)).toEqual({ models: ["iris_classifier"] });
    expect(run.status).toBe(200);
    expect(JSON.parse(run.response)).toEqual({ status: "reloaded", loaded_count: 1, failed_count: 0, loaded_models: ["iris_classifier"], failed_models: [] });
  }, 120_000);

  test("/openapi.yaml is shown in the browser, not downloaded", async () => {
    const tab = await context.newPage();
    watch(tab);
    const response = await tab.goto(`${svc.url}/openapi.yaml`);
    expect(response?.headers()["content-type"]).toStartWith("text/yaml");
    expect(await tab.locator("body").innerText()).toContain("openapi: 3.1.0");
    await tab.close();
  }, 120_000);

  test("a page on a listed origin calls the API with a token (a CORS preflight); another origin is refused", async () => {
    const call = (target: Page) =>
      target.evaluate(
        async ({ url, token }) => {
          try {
            const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
            return { status: response.status, body: await response.text() };
          } catch (error) {
            return { status: 0, body: String(error) };
          }
        },
        { url: `${svc.url}/api/v1/models/models`, token: ADMIN_TOKEN },
      );
    const allowed = await context.newPage();
    watch(allowed);
    await allowed.goto(`http://127.0.0.1:${allowedPages.port}/`);
    const answer = await call(allowed);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).models).toContainEqual({ name: "iris_classifier", type: "onnx", status: "loaded" });
    await allowed.close();

    const other = await context.newPage(); // not watched: the browser reports the refusal as a console error
    const refusal = other.waitForEvent("console", (message) => message.type() === "error" && message.text().includes("CORS"));
    await other.goto(`http://127.0.0.1:${otherPages.port}/`);
    const refused = await call(other);
    expect(refused.status).toBe(0);
    await refusal;
    await other.close();
  }, 120_000);

  test("no request left the machine, and the console showed no error", () => {
    expect(requested.length).toBeGreaterThan(5);
    const away = requested.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return (protocol === "http:" || protocol === "https:" || protocol === "ws:" || protocol === "wss:") ? !LOCAL_HOSTS.has(hostname) : protocol !== "data:" && protocol !== "blob:";
    });
    expect(away).toEqual([]);
    expect(errors).toEqual([]);
  });
});
