import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { markerModel } from "../helpers/onnx-builders.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { getJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { markerOf, writeThenRename } from "./watch-helpers.ts";
import { setTimeout as sleep } from "node:timers/promises";

const LIMIT = 120_000;

/** A service over a folder holding first.onnx, with `env` on top. */
function served(env: Record<string, string>) {
  const state: { svc?: TestService; models?: TempModels } = {};
  beforeAll(async () => {
    state.models = await tempModels({ "first.onnx": markerModel(1) });
    state.svc = await startTestService({ MODELS_DIR: state.models.dir, ...env });
  }, LIMIT);
  afterAll(async () => {
    await state.svc?.stop();
    await state.models?.cleanup();
  }, LIMIT);
  return state as { svc: TestService; models: TempModels };
}

describe("WATCH_MODE=poll", () => {
  // A network volume sends no file-system events: polling alone must see every change.
  const poll = served({ WATCH_MODELS: "true", WATCH_MODE: "poll", WATCH_POLL_MS: "300", WATCH_SETTLE_MS: "300" });

  test("the status says poll, and scans go on", async () => {
    const { body } = await getJson(`${poll.svc.url}/api/v1/watch`);
    expect(body).toMatchObject({ enabled: true, configured_mode: "poll", mode: "poll", recursive_events: false, poll_ms: 300, settle_ms: 300 });
    const scans = body.scans as number;
    await waitFor("more scans", async () => (await getJson(`${poll.svc.url}/api/v1/watch`)).body.scans > scans + 1);
  }, LIMIT);

  test("added, changed and removed models are followed", async () => {
    const { svc, models } = poll;
    await writeThenRename(models.dir, "second.onnx", markerModel(2));
    expect(await waitFor("second to answer", async () => (await markerOf(svc, "second")) === 2)).toBe(true);
    await writeThenRename(models.dir, "first.onnx", markerModel(11));
    expect(await waitFor("first to answer from its new file", async () => (await markerOf(svc, "first")) === 11)).toBe(true);
    await rm(join(models.dir, "second.onnx"));
    await waitFor("second to leave the registry", () => svc.service.cache.entry("second") === undefined);
    expect(svc.service.cache.entry("first")).toMatchObject({ load_count: 2, failure_count: 0 });
    expect(svc.logs.some((line) => line.startsWith("Watching the models folder for changes (poll, settle 300 ms, poll every 300 ms)"))).toBe(true);
  }, LIMIT);
});

describe("WATCH_MODELS=false", () => {
  const off = served({ WATCH_MODELS: "false" });

  test("nothing is watched; the status says so", async () => {
    const { body } = await getJson(`${off.svc.url}/api/v1/watch`);
    expect(body).toMatchObject({ enabled: false, mode: "off", scans: 0, last_scan_at: null, pending: [] });
    await writeThenRename(off.models.dir, "second.onnx", markerModel(2));
    await sleep(500);
    expect(off.svc.service.cache.entry("second")).toBeUndefined();
    expect(off.svc.service.watcher.status().scans).toBe(0);
  }, LIMIT);
});
