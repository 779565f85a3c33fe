/**
 * Weights and defaults changed by editing the manifest, and a new version folder, while the
 * folder watcher runs: its rediscovery applies them to the running service, with no rescan call
 * and no restart.
 */
import { describe, expect, test } from "bun:test";
import { copyFile, mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { postJson } from "../helpers/test-service.ts";
import { setTimeout as sleep } from "node:timers/promises";

const iris = { copy: join(DEMO_MODELS, "iris_classifier.onnx") };
const manifest = (weights: [number, number], extra = "") =>
  `models:\n  iris:\n${extra}    routing:\n      variants: [{ version: 1, weight: ${weights[0]} }, { version: 2, weight: ${weights[1]} }]\n`;

const served = serveModels(
  { "iris/1/model.onnx": iris, "iris/2/model.onnx": iris, "models.yaml": manifest([100, 0]) },
  { WATCH_MODELS: "true", WATCH_MODE: "poll", WATCH_POLL_MS: "200", WATCH_SETTLE_MS: "100" },
);

const ROW = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };

/** Versions that answered 10 requests in a row. */
async function versions(): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) seen.push((await postJson(`${served.svc.url}/v2/models/iris/infer`, ROW)).body.model_version);
  return seen;
}

/** Writes the manifest the way the README recommends: a new file renamed into place. */
async function writeManifest(text: string): Promise<void> {
  const temporary = join(served.models.dir, ".models.yaml.tmp");
  await writeFile(temporary, text);
  await rename(temporary, join(served.models.dir, "models.yaml"));
}

/** Polls `check` until it holds (generous limit: the machine may be busy). */
async function until(check: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the manifest edit was not applied in time");
    await sleep(100);
  }
}

describe("manifest edits picked up by the folder watcher", () => {
  test("new weights move the traffic", async () => {
    expect(await versions()).toEqual(new Array(10).fill("1"));
    await writeManifest(manifest([0, 100]));
    await until(async () => (await versions()).every((version) => version === "2"));
  }, 90_000);

  test("a new default_version rolls back (the weights of a manifest without routing)", async () => {
    await writeManifest("models:\n  iris:\n    default_version: 1\n");
    await until(async () => (await versions()).every((version) => version === "1"));
  }, 90_000);

  test("a version folder renamed into place is loaded and, the newest, becomes the default", async () => {
    await writeManifest("models: {}\n");
    const staging = join(served.models.dir, ".iris-3");
    await mkdir(staging);
    await copyFile(join(DEMO_MODELS, "iris_classifier.onnx"), join(staging, "model.onnx"));
    await rename(staging, join(served.models.dir, "iris", "3"));
    await until(async () => served.svc.service.cache.status("iris@3") === "loaded");
    expect(await versions()).toEqual(new Array(10).fill("3"));
    const registry = (await (await fetch(`${served.svc.url}/api/v1/models/registry`)).json()) as any;
    const entry = registry.models.find((model: { name: string }) => model.name === "iris");
    expect(entry.versions.map((version: any) => [version.version, version.status])).toEqual([
      ["1", "loaded"],
      ["2", "loaded"],
      ["3", "loaded"],
    ]);
  }, 90_000);
});
