import { describe, expect, test } from "bun:test";
import type { ModelSpec, ModelStatus } from "../../src/cache/model-types.ts";
import { planLoads, specKey, type ModelView } from "../../src/watch/plan-loads.ts";

const spec = (name: string, overrides: Partial<ModelSpec> = {}): ModelSpec => ({
  name,
  modelType: "onnx",
  version: "1.0.0",
  required: false,
  preload: true,
  source: `${name}.onnx`,
  sizeBytes: 100,
  ...overrides,
});
const view = (s: ModelSpec, status: ModelStatus): ModelView => ({ spec: s, status });
const plan = (changed: string[], before: ModelSpec[], after: ModelView[], settling: string[] = []) =>
  planLoads({
    changed: new Set(changed),
    settling: (entry) => settling.includes(entry),
    before: new Map(before.map((s) => [s.name, specKey(s)])),
    after: new Map(after.map((v) => [v.spec.name, v])),
  });

describe("planLoads", () => {
  test("a changed file reloads its model whatever its status, except one unloaded on purpose or evicted by the memory budget", () => {
    const statuses: ModelStatus[] = ["loaded", "failed", "loading", "pending", "unloaded", "evicted"];
    const specs = statuses.map((status) => spec(status));
    const result = plan(
      specs.map((s) => s.source!),
      specs,
      specs.map((s, i) => view(s, statuses[i]!)),
    );
    expect(result).toEqual(["failed", "loaded", "loading", "pending"].map((name) => ({ name, reason: "files changed" })));
  });

  test("a folder model is matched by its top-level entry; a manifest path by its first folder", () => {
    const folder = spec("bert", { source: "bert", modelType: "transformer" });
    const aliased = spec("churn", { source: "exports/churn-2024.onnx" });
    const result = plan(["bert", "exports"], [folder, aliased], [view(folder, "loaded"), view(aliased, "loaded")]);
    expect(result.map((p) => p.name)).toEqual(["bert", "churn"]);
  });

  test("a new model loads if it preloads; one left to load on first use stays skipped", () => {
    const eager = spec("eager");
    const lazy = spec("lazy", { preload: false });
    expect(plan(["eager.onnx", "lazy.onnx"], [], [view(eager, "skipped"), view(lazy, "skipped")])).toEqual([{ name: "eager", reason: "added" }]);
  });

  test("nothing of an entry still being written is loaded", () => {
    const big = spec("big");
    const iris = spec("iris");
    expect(plan(["iris.onnx"], [iris], [view(big, "skipped"), view(iris, "loaded")], ["big.onnx"])).toEqual([{ name: "iris", reason: "files changed" }]);
  });

  test("a manifest edit reloads the models whose spec changed, whatever the key", () => {
    const iris = spec("iris");
    const bert = spec("bert");
    const lexicon = spec("lexicon", { modelType: "lexicon", source: undefined });
    const edited = [view({ ...iris, version: "2.0.0" }, "loaded"), view(bert, "loaded"), view({ ...lexicon, description: "words" }, "loaded")];
    expect(plan(["models.yaml"], [iris, bert, lexicon], edited)).toEqual([
      { name: "iris", reason: "manifest changed" },
      { name: "lexicon", reason: "manifest changed" },
    ]);
  });

  test("preload turned true loads a skipped model; turned false leaves a loaded one loaded (and reloads it)", () => {
    const lazy = spec("lazy", { preload: false });
    const eager = spec("eager");
    const result = plan(["models.yaml"], [lazy, eager], [view({ ...lazy, preload: true }, "skipped"), view({ ...eager, preload: false }, "loaded")]);
    expect(result.map((p) => p.name)).toEqual(["eager", "lazy"]);
  });

  test("a size seen mid-write is no spec change", () => {
    const iris = spec("iris");
    expect(plan(["models.yaml"], [iris], [view({ ...iris, sizeBytes: 50 }, "loaded")])).toEqual([]);
  });
});
