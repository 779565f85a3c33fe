import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { markerModel } from "../helpers/onnx-builders.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { getJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { keepRequesting, linesStarting, markerOf, writeThenRename } from "./watch-helpers.ts";

let models: TempModels;
let outside: TempModels;
let svc: TestService;
/** Per test: each waits for a few loads; generous for a busy 2-core machine. */
const LIMIT = 120_000;

beforeAll(async () => {
  models = await tempModels({
    "steady.onnx": markerModel(1),
    "lazy.onnx": markerModel(4),
    "models.yaml": "models:\n  lazy:\n    preload: false\n",
    // A Kubernetes ConfigMap volume: files in a timestamped folder, reached through ..data.
    "..2026_01_01_00_00_00.000000001/configured.onnx": markerModel(5),
  });
  await symlink("..2026_01_01_00_00_00.000000001", join(models.dir, "..data"));
  await symlink("..data/configured.onnx", join(models.dir, "configured.onnx"));
  outside = await tempModels({ "outside.onnx": markerModel(13) });
  svc = await startTestService({ MODELS_DIR: models.dir, WATCH_MODELS: "true", WATCH_SETTLE_MS: "500", WATCH_POLL_MS: "1000" });
}, LIMIT);

afterAll(async () => {
  await svc?.stop();
  await models?.cleanup();
  await outside?.cleanup();
}, 60_000);

const entry = (name: string) => svc.service.cache.entry(name);

describe("the watcher as the service starts", () => {
  test("GET /api/v1/watch: file-system events plus a safety poll, nothing pending", async () => {
    const { status, body } = await getJson(`${svc.url}/api/v1/watch`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ enabled: true, configured_mode: "auto", mode: "events+poll", settle_ms: 500, poll_ms: 1000, pending: [], refused: [] });
    expect(svc.logs.some((line) => line.startsWith("Watching the models folder for changes (events+poll"))).toBe(true);
    expect(await markerOf(svc, "configured")).toBe(5);
  }, LIMIT);
});

describe("write-then-rename", () => {
  test("a model renamed into place is loaded once, from the whole file", async () => {
    await writeThenRename(models.dir, "fresh.onnx", markerModel(2));
    expect(await waitFor("fresh to answer", async () => (await markerOf(svc, "fresh")) === 2)).toBe(true);
    expect(entry("fresh")).toMatchObject({ status: "loaded", load_count: 1, failure_count: 0, source: "fresh.onnx" });
    expect(linesStarting(svc, 'Loaded model "fresh"')).toHaveLength(1);
    expect(svc.logs.some((line) => line.startsWith('Models folder: loading "fresh" (added)'))).toBe(true);
  }, LIMIT);

  test("a temporary name discovery ignores (*.partial) is never a model; renamed, it is", async () => {
    await writeFile(join(models.dir, "second.onnx.partial"), markerModel(3));
    await waitFor("the .partial file to settle", () => linesStarting(svc, 'Models folder: "second.onnx.partial" settled').length > 0);
    expect(svc.service.cache.modelNames).not.toContain("second.onnx");
    expect(svc.service.cache.modelNames).not.toContain("second");
    await rename(join(models.dir, "second.onnx.partial"), join(models.dir, "second.onnx"));
    expect(await waitFor("second to answer", async () => (await markerOf(svc, "second")) === 3)).toBe(true);
    expect(entry("second")).toMatchObject({ load_count: 1, failure_count: 0 });
  }, LIMIT);

  test("a model replaced by rename is reloaded behind the one serving: no request fails", async () => {
    const clients = keepRequesting(svc, "fresh", (marker) => marker === 2 || marker === 20);
    await waitFor("some answers from the old file", () => clients.answers >= 10);
    await writeThenRename(models.dir, "fresh.onnx", markerModel(20));
    await waitFor("the new file to answer", async () => (await markerOf(svc, "fresh")) === 20);
    await waitFor("more answers from the new file", () => clients.answers >= 30);
    await clients.stop();
    expect(clients.failures).toEqual([]);
    expect(entry("fresh")).toMatchObject({ status: "loaded", load_count: 2, failure_count: 0 });
    expect(svc.logs.some((line) => line.startsWith('Models folder: reloading "fresh" (files changed)'))).toBe(true);
  }, LIMIT);
});

describe("a failed load is tried again when the file changes again; watching never stops", () => {
  test("broken → failed; fixed → loaded; broken again → the old instance keeps serving; fixed → loaded", async () => {
    await writeThenRename(models.dir, "fragile.onnx", "this is not an ONNX model");
    const failed = await waitFor("fragile to fail", () => entry("fragile")?.status === "failed" && entry("fragile"));
    expect(failed.error).toContain("fragile.onnx");
    await writeThenRename(models.dir, "fragile.onnx", markerModel(6));
    expect(await waitFor("fragile to load", async () => (await markerOf(svc, "fragile")) === 6)).toBe(true);
    await writeThenRename(models.dir, "fragile.onnx", markerModel(6).subarray(0, 40));
    await waitFor("the broken reload to be counted", () => entry("fragile")!.failure_count === 2);
    expect(entry("fragile")).toMatchObject({ status: "loaded", load_count: 1 });
    expect(entry("fragile")!.last_error).toContain("fragile.onnx");
    expect(await markerOf(svc, "fragile")).toBe(6);
    await writeThenRename(models.dir, "fragile.onnx", markerModel(7));
    expect(await waitFor("the fixed file to answer", async () => (await markerOf(svc, "fragile")) === 7)).toBe(true);
    expect(entry("fragile")).toMatchObject({ status: "loaded", load_count: 2, failure_count: 2 });
  }, LIMIT);
});

describe("removal", () => {
  test("a removed model leaves the registry at once, and its instance is released after its last request", async () => {
    const lease = await svc.service.cache.acquire<{ infer: Function; details: { host: string } }>("second");
    // Native or WASM, whichever ONNX_BACKEND chose: the host the instance lives in.
    const hostInstances = async () => ((await svc.service.hosts.describe()).find((host) => host.name === lease.model.details.host)?.instances ?? 0);
    const before = await hostInstances();
    await rm(join(models.dir, "second.onnx"));
    await waitFor("second to leave the registry", () => entry("second") === undefined);
    expect((await getJson(`${svc.url}/v2/models/second/ready`)).status).toBe(404);
    // The request in flight still runs on its instance, which is still in its host.
    const output = await lease.model.infer({ x: { datatype: "FP32", shape: [1], data: new Float32Array([0.5]) } }, ["y"]);
    expect(Array.from(output.y.data as Float32Array)).toEqual([3.5]);
    expect(await hostInstances()).toBe(before);
    lease.release();
    expect(await waitFor("the instance to be released", async () => (await hostInstances()) === before - 1)).toBe(true);
  }, LIMIT);
});

describe("the manifest is watched", () => {
  test("an edit re-applies preload, version, required and description; a broken edit keeps the last good one", async () => {
    expect(entry("lazy")).toMatchObject({ status: "skipped", preload: false });
    await writeThenRename(
      models.dir,
      "models.yaml",
      "models:\n  lazy:\n    preload: true\n    version: 2.0.0\n  steady:\n    required: true\n    description: always there\n",
    );
    await waitFor("lazy to load", () => entry("lazy")?.status === "loaded");
    expect(entry("lazy")).toMatchObject({ version: "2.0.0", preload: true, load_count: 1 });
    expect(entry("steady")).toMatchObject({ required: true, description: "always there", status: "loaded" });
    expect((await getJson(`${svc.url}/v2/models/lazy`)).body.versions).toEqual(["2.0.0"]);

    await writeThenRename(models.dir, "models.yaml", "models:\n  lazy:\n    versoin: 3\n");
    await waitFor("the broken manifest to be reported", () => svc.logs.some((line) => line.includes("versoin") && line.includes("keeping the previous manifest")));
    expect(entry("lazy")).toMatchObject({ version: "2.0.0", status: "loaded" });
    expect(entry("steady")).toMatchObject({ required: true, status: "loaded" });
  }, LIMIT);
});

describe("Kubernetes ConfigMap and projected volumes", () => {
  test("an atomic ..data swap reloads the models linked through it", async () => {
    const next = "..2026_01_02_00_00_00.000000002";
    await mkdir(join(models.dir, next));
    await writeFile(join(models.dir, next, "configured.onnx"), markerModel(8));
    await symlink(next, join(models.dir, "..data_tmp"));
    await rename(join(models.dir, "..data_tmp"), join(models.dir, "..data"));
    await rm(join(models.dir, "..2026_01_01_00_00_00.000000001"), { recursive: true });
    expect(await waitFor("the swapped file to answer", async () => (await markerOf(svc, "configured")) === 8)).toBe(true);
    expect(entry("configured")).toMatchObject({ status: "loaded", load_count: 2, failure_count: 0, source: "configured.onnx" });
  }, LIMIT);

  test("a link out of the models folder is refused and logged, never loaded", async () => {
    await symlink(join(outside.dir, "outside.onnx"), join(models.dir, "escape.onnx"));
    await waitFor("the link to be refused", async () => (await getJson(`${svc.url}/api/v1/watch`)).body.refused.includes("escape.onnx"));
    await waitFor("its change to be applied", () => linesStarting(svc, 'Models folder: "escape.onnx" settled').length > 0 && !svc.service.watcher.status().applying);
    expect(entry("escape")).toBeUndefined();
    await waitFor("the refusal in the log", () => svc.logs.some((line) => line.includes('"escape.onnx" is a symbolic link that leads outside the models folder; refused')));
    // Even a rescan by an admin does not register it.
    await svc.service.cache.rescan();
    expect(entry("escape")).toBeUndefined();
    expect(linesStarting(svc, 'Loaded model "escape"')).toEqual([]);
    for (const line of svc.logs) expect(line).not.toContain(outside.dir);
  }, LIMIT);
});

describe("what it did", () => {
  test("every change was applied once; the watch status says so", async () => {
    const { body } = await getJson(`${svc.url}/api/v1/watch`);
    expect(body.changes_applied).toBeGreaterThanOrEqual(10);
    expect(body.scans).toBeGreaterThan(0);
    expect(body.applying).toBe(false);
    expect(body.last_scan_at).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(linesStarting(svc, 'Loaded model "fresh"')).toHaveLength(2);
    expect(linesStarting(svc, 'Failed to load model "fresh"')).toEqual([]);
  }, LIMIT);
});
