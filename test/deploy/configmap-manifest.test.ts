/**
 * The models folder as deploy/k8s lays it out: model files copied in, the manifest a ConfigMap
 * volume mounted at .manifest/ (its files behind Kubernetes' `..data` link) and linked as
 * models.yaml. The service reads the manifest through the links, and an edit of the ConfigMap
 * (an atomic `..data` swap) is applied by the watcher without a restart.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rename, symlink } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { startTestService, type TestService } from "../helpers/test-service.ts";
import { waitFor } from "../helpers/wait-for.ts";

let models: TempModels;
let svc: TestService;

beforeAll(async () => {
  models = await tempModels({
    "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    ".manifest/..2026_01_01_00_00_00.000000001/models.yaml": "models:\n  iris_classifier:\n    version: 2.0.0\n    copies: 2\n",
    ".manifest/..2026_01_02_00_00_00.000000001/models.yaml": "models:\n  iris_classifier:\n    version: 3.0.0\n    copies: 1\n",
  });
  const manifest = join(models.dir, ".manifest");
  await symlink("..2026_01_01_00_00_00.000000001", join(manifest, "..data"));
  await symlink("..data/models.yaml", join(manifest, "models.yaml"));
  // What the init container of deploy/k8s/deployment.yaml does.
  await symlink(".manifest/models.yaml", join(models.dir, "models.yaml"));
  svc = await startTestService({ MODELS_DIR: models.dir, WATCH_MODELS: "true", WATCH_SETTLE_MS: "200", WATCH_POLL_MS: "300" });
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await models?.cleanup();
}, 60_000);

test("the manifest is read through the links, and a ConfigMap update is applied", async () => {
  expect(svc.service.cache.entry("iris_classifier")).toMatchObject({ status: "loaded", version: "2.0.0" });
  expect(svc.service.cache.spec("iris_classifier")!.copies).toBe(2);
  // Kubernetes' update: a new ..data link renamed over the old one.
  await symlink("..2026_01_02_00_00_00.000000001", join(models.dir, ".manifest", "..data_tmp"));
  await rename(join(models.dir, ".manifest", "..data_tmp"), join(models.dir, ".manifest", "..data"));
  await waitFor("version 3.0.0 from the new ConfigMap", () => svc.service.cache.entry("iris_classifier")?.version === "3.0.0", 60_000);
  expect(svc.service.cache.spec("iris_classifier")!.copies).toBe(1);
  expect(svc.service.cache.status("iris_classifier")).toBe("loaded");
  // The hidden folder is not a model, and nothing was refused.
  expect(svc.service.cache.modelNames).toEqual(["iris_classifier", "lexicon"]);
  expect(svc.service.watcher.status().refused).toEqual([]);
}, 90_000);
