import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { markerModel } from "../helpers/onnx-builders.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { keepRequesting, linesStarting, markerOf } from "./watch-helpers.ts";
import { setTimeout as sleep } from "node:timers/promises";

const SETTLE_MS = 1500;
/** 16 Mi FP32 weights: a 64 MiB model. */
const WEIGHTS = 16 * 2 ** 20;
const CHUNK = 2 ** 20;
/** Between chunks: a real pause, far shorter than the settle time. */
const PAUSE_MS = 60;

let models: TempModels;
let svc: TestService;

beforeAll(async () => {
  models = await tempModels({ "steady.onnx": markerModel(1) });
  svc = await startTestService({ MODELS_DIR: models.dir, WATCH_MODELS: "true", WATCH_SETTLE_MS: String(SETTLE_MS) });
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  await models?.cleanup();
}, 60_000);

/**
 * Writes `bytes` into `path` in place, 1 MiB at a time with a pause after each chunk (a slow copy
 * from a network share), and meanwhile notes whether the watcher reported the file as pending.
 */
async function copySlowly(path: string, bytes: Uint8Array): Promise<{ sawPending: boolean; chunks: number }> {
  const file = await open(path, "w");
  let sawPending = false;
  let chunks = 0;
  try {
    for (let offset = 0; offset < bytes.length; offset += CHUNK) {
      await file.write(bytes, offset, Math.min(CHUNK, bytes.length - offset), offset);
      chunks++;
      await sleep(PAUSE_MS);
      sawPending ||= svc.service.watcher.status().pending.some((change) => change.path === "big.onnx");
    }
  } finally {
    await file.close();
  }
  return { sawPending, chunks };
}

describe("a 64 MiB model copied in slowly", () => {
  test("is loaded once, whole, after the copy; another model serves throughout", async () => {
    const big = markerModel(9, WEIGHTS);
    expect(big.length).toBeGreaterThan(64 * 2 ** 20);
    const clients = keepRequesting(svc, "steady", (marker) => marker === 1);
    const copy = await copySlowly(join(models.dir, "big.onnx"), big);
    const copied = svc.logs.length;
    expect(copy.chunks).toBe(65);
    expect(copy.sawPending).toBe(true);
    // Nothing of the file was registered or loaded while it was written.
    expect(svc.logs.slice(0, copied).filter((line) => line.includes('"big"'))).toEqual([]);

    expect(await waitFor("big to answer", async () => (await markerOf(svc, "big")) === 9)).toBe(true);
    await clients.stop();
    expect(clients.failures).toEqual([]);
    expect(clients.answers).toBeGreaterThan(0);
    expect(svc.service.cache.entry("big")).toMatchObject({ status: "loaded", load_count: 1, failure_count: 0, size_bytes: big.length });
    expect(linesStarting(svc, 'Models folder: loading "big"')).toHaveLength(1);
    expect(linesStarting(svc, 'Loaded model "big"')).toHaveLength(1);
    expect(linesStarting(svc, 'Failed to load model "big"')).toEqual([]);
    expect(svc.service.cache.entry("steady")).toMatchObject({ load_count: 1, failure_count: 0 });
  }, 180_000);

  test("copied slowly over itself, it keeps serving the old file until the new one is whole, then swaps once", async () => {
    const next = markerModel(10, WEIGHTS);
    const clients = keepRequesting(svc, "big", (marker) => marker === 9 || marker === 10, 2);
    await waitFor("answers from the old file", () => clients.answers >= 2);
    const copy = await copySlowly(join(models.dir, "big.onnx"), next);
    expect(copy.sawPending).toBe(true);
    expect(await waitFor("the new file to answer", async () => (await markerOf(svc, "big")) === 10)).toBe(true);
    await clients.stop();
    expect(clients.failures).toEqual([]);
    expect(svc.service.cache.entry("big")).toMatchObject({ status: "loaded", load_count: 2, failure_count: 0 });
    expect(linesStarting(svc, 'Models folder: reloading "big"')).toHaveLength(1);
    expect(linesStarting(svc, 'Failed to load model "big"')).toEqual([]);
  }, 180_000);
});
