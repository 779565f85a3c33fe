import { afterEach, describe, expect, test } from "bun:test";
import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../src/config/config-error.ts";
import { discoverModels } from "../../src/discovery/discover-models.ts";
import { readManifest } from "../../src/discovery/manifest.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";

let models: TempModels | undefined;
afterEach(async () => {
  await models?.cleanup();
  models = undefined;
});

async function discover(dir: string, preload?: string[]) {
  return discoverModels({ modelsDir: dir, cacheDir: join(dir, "cache"), defaultVersion: "1.0.0", preload, manifest: await readManifest(dir) });
}

describe("what becomes a model", () => {
  test("each layout maps to its model type", async () => {
    models = await tempModels({
      "a.onnx": "x",
      "b.ort": "x",
      "c/model.onnx": "x",
      "c/model.onnx.data": "x",
      "d/config.json": "{}",
      "d/tokenizer.json": "{}",
      "d/tokenizer_config.json": "{}",
      "d/onnx/model.onnx": "x",
      "e.json": "{}",
      "cache/f.onnx": "x",
      ".hidden.onnx": "x",
      "README.md": "not a model",
      "stray/notes.txt": "not a model",
    });
    const { specs, warnings } = await discover(models.dir);
    expect(specs.map((spec) => [spec.name, spec.modelType, spec.source ?? null])).toEqual([
      ["a", "onnx", "a.onnx"],
      ["b", "onnx", "b.ort"],
      ["c", "onnx", "c"],
      ["d", "transformer", "d"],
      ["e", "prophet", "e.json"],
      ["lexicon", "lexicon", null],
    ]);
    expect(specs.find((spec) => spec.name === "d")!.dtype).toBe("fp32");
    expect(specs.find((spec) => spec.name === "c")!.sizeBytes).toBe(2);
    expect(specs.find((spec) => spec.name === "d")!.problem).toBeUndefined();
    expect(warnings.some((warning) => warning.includes("stray"))).toBe(true);
  });

  test("a quantized-only Hugging Face folder loads its quantized weights", async () => {
    models = await tempModels({ "q/config.json": "{}", "q/tokenizer.json": "{}", "q/tokenizer_config.json": "{}", "q/onnx/model_quantized.onnx": "x" });
    const { specs } = await discover(models.dir);
    expect(specs.find((spec) => spec.name === "q")!.dtype).toBe("q8");
  });

  test("a transformer folder missing files is registered with the problem", async () => {
    models = await tempModels({ "t/config.json": "{}", "t/onnx/model.onnx": "x" });
    const { specs } = await discover(models.dir);
    expect(specs.find((spec) => spec.name === "t")!.problem).toBe("the model folder is missing tokenizer.json, tokenizer_config.json");
  });

  test("the real demo models folder", async () => {
    const { specs } = await discover(DEMO_MODELS);
    expect(specs.map((spec) => `${spec.name}:${spec.modelType}`)).toEqual([
      "iris_classifier:onnx",
      "lexicon:lexicon",
      "linear-external:onnx",
      "sales_forecast:prophet",
      "sentiment-bert:transformer",
      "sentiment-distilbert:transformer",
    ]);
  });

  test("names that are not usable, and clashing names, are passed over with a warning", async () => {
    models = await tempModels({ "bad name.onnx": "x", "lexicon.onnx": "x", "dup.onnx": "x", "dup.ort": "x" });
    const { specs, warnings } = await discover(models.dir);
    expect(specs.map((spec) => spec.name)).toEqual(["dup", "lexicon"]);
    expect(specs.find((spec) => spec.name === "dup")!.source).toBe("dup.onnx");
    expect(warnings).toHaveLength(3);
  });
});

describe("PRELOAD", () => {
  test("models not named are registered but not preloaded", async () => {
    models = await tempModels({ "a.onnx": "x", "b.onnx": "x" });
    const { specs } = await discover(models.dir, ["a"]);
    expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.preload]))).toEqual({ a: true, b: false, lexicon: true });
  });

  test("the lexicon, every sentiment answer's fallback, preloads unless the manifest says preload: false", async () => {
    models = await tempModels({ "a.onnx": "x", "models.yaml": "models:\n  lexicon:\n    preload: false\n" });
    const { specs } = await discover(models.dir, ["a"]);
    expect(Object.fromEntries(specs.map((spec) => [spec.name, spec.preload]))).toEqual({ a: true, lexicon: false });
  });

  test("a name that is not in the folder stops the start", async () => {
    models = await tempModels({ "a.onnx": "x" });
    await expect(discover(models.dir, ["a", "typo"])).rejects.toThrow(/PRELOAD names models that are not in the models folder: typo/);
  });
});

describe("the manifest", () => {
  test("sets versions, required, preload, descriptions, and names files", async () => {
    models = await tempModels({
      "a.onnx": "x",
      "sub/thing.onnx": "x",
      "sub/other.onnx": "x",
      "models.yaml": [
        "models:",
        "  a:",
        "    version: 2.3.1",
        "    required: true",
        "    description: The A model",
        "  renamed:",
        "    path: sub/thing.onnx",
        "    preload: false",
        "  missing:",
        "    version: 1.0.0",
        "  solo:",
        "    path: sub/other.onnx",
        "    batching: false",
        "    batch_max_delay_ms: 7",
        "    batch_max_run_ms: 0",
      ].join("\n"),
    });
    const { specs } = await discover(models.dir);
    const byName = Object.fromEntries(specs.map((spec) => [spec.name, spec]));
    expect(byName.a).toMatchObject({ version: "2.3.1", required: true, description: "The A model", preload: true });
    expect(byName.renamed).toMatchObject({ modelType: "onnx", source: "sub/thing.onnx", preload: false, version: "1.0.0" });
    expect(byName.missing!.problem).toMatch(/declares "missing" but the models folder has no such model/);
    expect(byName.solo).toMatchObject({ batching: false, batchMaxDelayMs: 7, batchMaxRunMs: 0 });
    expect(byName.a!.batching).toBeUndefined();
  });

  test("models.json works too", async () => {
    models = await tempModels({ "a.onnx": "x", "models.json": JSON.stringify({ models: { a: { version: "9.9.9" } } }) });
    const { specs } = await discover(models.dir);
    expect(specs.find((spec) => spec.name === "a")!.version).toBe("9.9.9");
  });

  const badManifests: [string, RegExp][] = [
    ["models:\n  a:\n    versoin: 1.0.0\n", /models\.yaml: models\.a\.versoin is not a known key/],
    ["modles:\n  a: {}\n", /models\.yaml: modles is not a known key/],
    ["models:\n  a:\n    required: maybe\n", /models\.a\.required must be true or false/],
    ["models:\n  a:\n    path: ../../etc/passwd\n", /models\.a\.path must be a path inside the models folder/],
    ["models:\n  a:\n    path: /etc/passwd\n", /models\.a\.path must be a path inside the models folder/],
    ["models:\n  a:\n    type: pickle\n", /models\.a\.type must be one of/],
    ["models:\n  a:\n    batching: sometimes\n", /models\.a\.batching must be true or false/],
    ["models:\n  a:\n    batch_max_delay_ms: 2.5\n", /models\.a\.batch_max_delay_ms must be a whole number/],
    ["models:\n  a:\n    batch_max_run_ms: -1\n", /models\.a\.batch_max_run_ms must be a whole number of milliseconds/],
    ["models: [1, 2\n", /models\.yaml cannot be parsed/],
  ];
  test.each(badManifests)("%p stops the start with a message naming the key", async (yaml, message) => {
    models = await tempModels({ "a.onnx": "x", "models.yaml": yaml });
    let error: unknown;
    try {
      await readManifest(models.dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("the models folder itself", () => {
  test("a folder that does not exist stops the start, naming MODELS_DIR", async () => {
    expect(discover("/nonexistent/models/here")).rejects.toThrow(/MODELS_DIR cannot be read/);
  });
});

describe("symbolic links", () => {
  let outside: TempModels | undefined;
  afterEach(async () => {
    await outside?.cleanup();
    outside = undefined;
  });

  test("links inside the folder are followed (a Kubernetes ConfigMap volume); links out of it are refused", async () => {
    outside = await tempModels({ "secret.onnx": "x", "elsewhere/model.onnx": "x" });
    models = await tempModels({ "..2026_01_01/a.onnx": "x", "b/model.onnx": "x", "models.yaml": "models:\n  d:\n    path: out/d.onnx\n" });
    await symlink("..2026_01_01", join(models.dir, "..data"));
    await symlink("..data/a.onnx", join(models.dir, "a.onnx"));
    await symlink(join(outside.dir, "secret.onnx"), join(models.dir, "secret.onnx"));
    await symlink(join(outside.dir, "elsewhere"), join(models.dir, "elsewhere"));
    await symlink(join(outside.dir, "secret.onnx"), join(models.dir, "b/extra.onnx"));
    await symlink(outside.dir, join(models.dir, "out"));
    await writeFile(join(outside.dir, "d.onnx"), "x");
    const { specs, warnings } = await discover(models.dir);
    expect(specs.map((spec) => [spec.name, spec.source ?? null, spec.problem ?? null])).toEqual([
      ["a", "a.onnx", null],
      ["d", "out/d.onnx", expect.stringMatching(/"out\/d\.onnx" leads outside the models folder through a symbolic link; refused/)],
      ["lexicon", null, null],
    ]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Ignoring "b": "b\/extra\.onnx" is a symbolic link that leads outside the models folder; refused/),
        expect.stringMatching(/Ignoring "elsewhere": .*outside the models folder/),
        expect.stringMatching(/Ignoring "secret\.onnx": .*outside the models folder/),
      ]),
    );
    // Nothing names a path outside the folder.
    for (const text of [...warnings, ...specs.map((spec) => spec.problem ?? "")]) expect(text).not.toContain(outside.dir);
  });
});
