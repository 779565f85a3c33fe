/**
 * A short, seeded run of the fuzzer (`bun run fuzz` sends 12 000 requests at a separate
 * process; this sends 1 500 at an in-process service): zero 5xx, every error body in its
 * documented shape with no host path, stack or token, and the service healthy afterwards with
 * every model still loaded and answering.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { planRequest } from "../../scripts/fuzz/plan.ts";
import { formatReport } from "../../scripts/fuzz/report.ts";
import { ROUTES } from "../../scripts/fuzz/routes.ts";
import { runFuzz, type FuzzResult } from "../../scripts/fuzz/runner.ts";
import { describeTarget } from "../../scripts/fuzz/target.ts";
import { DEMO_MODELS, REPO_ROOT } from "../helpers/paths.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { ADMIN_TOKEN, startTestService, type TestService } from "../helpers/test-service.ts";
import { SERVICE_HOOK_LIMIT_MS } from "../helpers/limits.ts";

const INFERENCE_TOKEN = "fuzz-test-inference-token-0123456789";
const MAX_BODY_BYTES = 256 * 1024;
const SEED = 20_261_126;

let models: TempModels;
let svc: TestService;
let result: FuzzResult;

beforeAll(async () => {
  models = await tempModels(
    Object.fromEntries(
      ["iris_classifier.onnx", "sales_forecast.json", "linear-external", "sentiment-bert", "sentiment-distilbert"].map((name) => [name, { copy: join(DEMO_MODELS, name) }]),
    ),
  );
  svc = await startTestService({ MODELS_DIR: models.dir, INFERENCE_TOKEN, MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  result = await runFuzz({
    url: svc.url,
    adminToken: ADMIN_TOKEN,
    inferenceToken: INFERENCE_TOKEN,
    maxBodyBytes: MAX_BODY_BYTES,
    requests: 1500,
    seed: SEED,
    concurrency: 8,
    hostPaths: [models.dir, REPO_ROOT],
  });
  if (!result.passed) console.log(formatReport(result));
}, 240_000);

afterAll(async () => {
  await svc?.stop();
  await models?.cleanup();
}, SERVICE_HOOK_LIMIT_MS);

describe("fuzz: 1 500 seeded requests at every route of a running service", () => {
  test("no answer is a 5xx", () => {
    expect(result.serverErrors.first).toEqual([]);
    expect(result.tally.serverErrors).toBe(0);
  });

  test("every error body is JSON in the documented shape, with no host path, stack trace or token", () => {
    expect(result.problems.first).toEqual([]);
  });

  test("no request hung or lost its connection", () => {
    expect(result.transportErrors.first).toEqual([]);
  });

  test("every route was hit, and the route table matches /openapi.json", () => {
    expect(result.routes.notHit).toEqual([]);
    expect(result.routes.notInTable).toEqual([]);
    expect(result.routes.notServed).toEqual([]);
    expect(result.tally.sent).toBeGreaterThanOrEqual(1500);
  });

  test("the mix holds valid, mutated and hostile requests, and admin actions that change state", () => {
    for (const category of ["valid", "mutated", "pathTrick", "deepJson", "oversize", "invalidUtf8", "auth", "admin"]) {
      expect(result.tally.byCategory.get(category)?.size ?? 0).toBeGreaterThan(0);
    }
    expect(result.episodes).toBeGreaterThan(0);
    for (const status of ["200", "400", "401", "404", "413"]) expect(result.tally.byStatus.get(status) ?? 0).toBeGreaterThan(0);
  });

  test("afterwards the service is live and every model it had loaded is loaded and answers", async () => {
    expect(result.live).toBe(true);
    expect(result.models.length).toBeGreaterThanOrEqual(6);
    for (const model of result.models) expect({ name: model.name, ok: model.ok, state: model.state }).toEqual({ name: model.name, ok: true, state: "loaded" });
    expect(svc.logs.filter((line) => line.includes("Unhandled error"))).toEqual([]);
    expect((await fetch(`${svc.url}/v2/health/live`)).status).toBe(200);
  });

  test("the same seed plans the same requests", async () => {
    const target = await describeTarget({ url: svc.url, adminToken: ADMIN_TOKEN, inferenceToken: INFERENCE_TOKEN, maxBodyBytes: MAX_BODY_BYTES });
    for (const index of [0, 1, 77, 1499]) {
      const first = planRequest({ seed: SEED, target, routes: ROUTES }, index);
      const again = planRequest({ seed: SEED, target, routes: ROUTES }, index);
      expect(again).toEqual(first);
    }
    expect(planRequest({ seed: SEED + 1, target, routes: ROUTES }, 0)).not.toEqual(planRequest({ seed: SEED, target, routes: ROUTES }, 0));
  });
});
