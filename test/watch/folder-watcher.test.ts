import { afterEach, describe, expect, test } from "bun:test";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ModelCache } from "../../src/cache/model-cache.ts";
import type { WatchMode } from "../../src/config/config.ts";
import { discoverModels } from "../../src/discovery/discover-models.ts";
import { readManifest } from "../../src/discovery/manifest.ts";
import { Logger } from "../../src/logging/logger.ts";
import { FolderWatcher } from "../../src/watch/folder-watcher.ts";
import { snapshotFolder } from "../../src/watch/folder-snapshot.ts";
import { FakeBackend, type FakeBehaviour } from "../helpers/fake-backend.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { writeThenRename } from "./watch-helpers.ts";
import { setTimeout as sleep } from "node:timers/promises";

/** A cache over a real models folder with fake loaders (they count attempts, read nothing), and its watcher. */
async function watched(files: Record<string, string>, options: { mode?: WatchMode; behaviours?: Record<string, FakeBehaviour>; failEvents?: "at start" | "later" } = {}) {
  const models = await tempModels(files);
  const logs: string[] = [];
  const log = new Logger({ level: "debug", sink: (line) => logs.push(line) });
  const backend = new FakeBackend(options.behaviours);
  const discover = async () =>
    discoverModels({ modelsDir: models.dir, cacheDir: join(models.dir, "cache"), defaultVersion: "1.0.0", preload: undefined, manifest: await readManifest(models.dir), checkPreload: false });
  const baseline = (await snapshotFolder(models.dir)).entries;
  const cache = new ModelCache({ discover, backends: [backend, new FakeBackend({}, "lexicon")], log });
  let breakEvents: ((error: Error) => void) | undefined;
  const watcher = new FolderWatcher({
    cache,
    modelsDir: models.dir,
    skip: [join(models.dir, "cache")],
    enabled: true,
    mode: options.mode ?? "auto",
    settleMs: 100,
    pollMs: 200,
    log,
    baseline,
    ...(options.failEvents === "at start" && {
      startEvents: () => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      },
    }),
    ...(options.failEvents === "later" && {
      startEvents: (_dir: string, _onEvent: unknown, onFailure: (error: Error) => void) => {
        breakEvents = onFailure;
        return { recursive: true, close: () => undefined };
      },
    }),
  });
  const ready = cache.loadAll();
  watcher.start(ready);
  await ready;
  opened.push({ models, watcher });
  const idle = () => waitFor("the watcher to be idle", () => watcher.status().pending.length === 0 && !watcher.status().applying);
  return { models, cache, watcher, backend, logs, idle, breakEvents: (error: Error) => breakEvents!(error) };
}

const opened: { models: TempModels; watcher: FolderWatcher }[] = [];
afterEach(async () => {
  for (const { models, watcher } of opened.splice(0)) {
    watcher.stop();
    await models.cleanup();
  }
});

describe("FolderWatcher", () => {
  test("events that cannot start: it polls instead, says why, and applies changes", async () => {
    const { models, cache, watcher, logs } = await watched({ "a.onnx": "x" }, { failEvents: "at start" });
    expect(watcher.status()).toMatchObject({ mode: "poll", last_error: expect.stringContaining("ENOSPC") });
    expect(logs.some((line) => line.includes("file-system events unavailable (ENOSPC); polling every 200 ms"))).toBe(true);
    await writeFile(join(models.dir, "b.onnx"), "x");
    await waitFor("b to load", () => cache.status("b") === "loaded");
  });

  test("events that break later: polling takes over", async () => {
    const { models, cache, watcher, breakEvents } = await watched({ "a.onnx": "x" }, { failEvents: "later", mode: "events" });
    expect(watcher.status().mode).toBe("events");
    breakEvents(Object.assign(new Error("watched folder gone"), { code: "EIO" }));
    expect(watcher.status().mode).toBe("poll");
    await writeFile(join(models.dir, "b.onnx"), "x");
    await waitFor("b to load", () => cache.status("b") === "loaded");
  });

  test("WATCH_MODE=events: events only, no poll", async () => {
    const { models, cache, watcher } = await watched({ "a.onnx": "x" }, { mode: "events" });
    expect(watcher.status()).toMatchObject({ mode: "events", recursive_events: true });
    await writeFile(join(models.dir, "b.onnx"), "x");
    await waitFor("b to load", () => cache.status("b") === "loaded");
  });

  test("a burst of writes to one file is one load", async () => {
    const { models, cache, backend, idle } = await watched({ "a.onnx": "x" });
    for (let i = 0; i < 20; i++) await writeFile(join(models.dir, "burst.onnx"), `version ${i}`);
    await waitFor("burst to load", () => cache.status("burst") === "loaded");
    await idle();
    expect(backend.attempts.get("burst")).toBe(1);
  });

  test("a change settled during a running load queues exactly one more load", async () => {
    const { models, cache, backend, idle, logs } = await watched({ "a.onnx": "x" }, { behaviours: { slow: { delayMs: 1500 } } });
    await writeThenRename(models.dir, "slow.onnx", "first");
    await waitFor("the first load to start", () => backend.attempts.get("slow") === 1);
    await writeThenRename(models.dir, "slow.onnx", "second");
    await writeThenRename(models.dir, "slow.onnx", "third");
    await waitFor("the second load", () => backend.attempts.get("slow") === 2 && cache.entry("slow")!.load_count === 2);
    await idle();
    expect(backend.attempts.get("slow")).toBe(2);
    expect(logs.filter((line) => line.startsWith('Models folder: reloading "slow"'))).toHaveLength(1);
  });

  test("the models folder removed and made again: watching goes on", async () => {
    const { models, cache, watcher, logs } = await watched({ "a.onnx": "x" });
    await rm(models.dir, { recursive: true });
    await waitFor("the scan failure to be reported", () => watcher.status().last_error?.includes("cannot be scanned"));
    expect(logs.some((line) => line.includes("the models folder cannot be scanned (ENOENT); watching goes on"))).toBe(true);
    await mkdir(models.dir);
    await writeFile(join(models.dir, "b.onnx"), "x");
    await waitFor("b to load", () => cache.status("b") === "loaded");
    await waitFor("a to be dropped", () => cache.status("a") === undefined);
  });

  test("stop: no more scans", async () => {
    const { models, cache, watcher } = await watched({ "a.onnx": "x" });
    watcher.stop();
    const scans = watcher.status().scans;
    expect(watcher.status().mode).toBe("off");
    await writeFile(join(models.dir, "b.onnx"), "x");
    await sleep(600);
    expect(watcher.status().scans).toBe(scans);
    expect(cache.status("b")).toBeUndefined();
  });
});
