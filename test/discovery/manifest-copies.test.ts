import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { discoverModels } from "../../src/discovery/discover-models.ts";
import { parseManifest, readManifest } from "../../src/discovery/manifest.ts";
import { specKey } from "../../src/watch/plan-loads.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels } from "../helpers/temp-models.ts";

describe("manifest copies (cluster mode)", () => {
  test("a number of replicas, or all (the default)", () => {
    const models = parseManifest("models.yaml", { models: { a: { copies: 2 }, b: { copies: "all" }, c: {} } });
    expect(models.get("a")!.copies).toBe(2);
    expect(models.get("b")!.copies).toBe("all");
    expect(models.get("c")!.copies).toBeUndefined();
  });

  test.each([0, -1, 1.5, "two", true])("copies: %p is refused, naming the key", (copies) => {
    expect(() => parseManifest("models.yaml", { models: { a: { copies } } })).toThrow("models.yaml: models.a.copies must be a whole number of replicas (at least 1) or all");
  });

  test("discovery carries it into the model's spec; a change of copies alone is no reason to reload", async () => {
    const folder = await tempModels({ "iris.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, "models.yaml": "models:\n  iris:\n    copies: 2\n" });
    try {
      const manifest = await readManifest(folder.dir);
      const { specs } = await discoverModels({ modelsDir: folder.dir, cacheDir: join(folder.dir, "cache"), defaultVersion: "1.0.0", preload: undefined, manifest });
      const iris = specs.find((spec) => spec.name === "iris")!;
      expect(iris.copies).toBe(2);
      expect(specKey({ ...iris, copies: 3 })).toBe(specKey(iris));
    } finally {
      await folder.cleanup();
    }
  });
});
