import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ConfigError } from "../../src/config/config-error.ts";
import { discoverModels } from "../../src/discovery/discover-models.ts";
import { readManifest } from "../../src/discovery/manifest.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";

let models: TempModels | undefined;
afterEach(async () => {
  await models?.cleanup();
  models = undefined;
});

async function discover(files: Record<string, string>, preload?: string[]) {
  models = await tempModels(files);
  const dir = models.dir;
  return discoverModels({ modelsDir: dir, cacheDir: join(dir, "cache"), defaultVersion: "1.0.0", preload, manifest: await readManifest(dir) });
}

const HF = (dir: string) => ({
  [`${dir}/config.json`]: "{}",
  [`${dir}/tokenizer.json`]: "{}",
  [`${dir}/tokenizer_config.json`]: "{}",
  [`${dir}/onnx/model.onnx`]: "x",
});

describe("version folders (Triton's layout)", () => {
  test("each version folder is a record of its own, named name@version; the newest is the default", async () => {
    const { specs, groups, warnings } = await discover({
      "iris/1/model.onnx": "x",
      "iris/2/model.onnx": "xx",
      "iris/10/model.onnx": "xxx",
      "iris/README.md": "notes",
      "iris/drafts/model.onnx": "x",
      "sales/1/model.json": "{}",
      ...HF("sent/2.0.0"),
      "plain.onnx": "x",
    });
    expect(specs.map((spec) => [spec.name, spec.group ?? null, spec.version, spec.modelType, spec.source ?? null])).toEqual([
      ["iris@1", "iris", "1", "onnx", "iris/1"],
      ["iris@10", "iris", "10", "onnx", "iris/10"],
      ["iris@2", "iris", "2", "onnx", "iris/2"],
      ["lexicon", null, "1.0.0", "lexicon", null],
      ["plain", null, "1.0.0", "onnx", "plain.onnx"],
      ["sales@1", "sales", "1", "prophet", "sales/1/model.json"],
      ["sent@2.0.0", "sent", "2.0.0", "transformer", "sent/2.0.0"],
    ]);
    const iris = groups!.find((group) => group.name === "iris")!;
    expect(iris).toMatchObject({ versioned: true, defaultVersion: "10", unserved: [], policy: { all: true } });
    expect(iris.versions).toEqual([
      { version: "1", id: "iris@1" },
      { version: "2", id: "iris@2" },
      { version: "10", id: "iris@10" },
    ]);
    expect(groups!.find((group) => group.name === "plain")).toMatchObject({ versioned: false, versions: [{ version: "1.0.0", id: "plain" }] });
    expect(specs.find((spec) => spec.name === "iris@10")!.sizeBytes).toBe(3);
    expect(warnings.some((warning) => warning.includes('"iris/drafts"') && warning.includes("not a version"))).toBe(true);
  });

  test("a version folder without a model is reported and left out", async () => {
    const { specs, warnings } = await discover({ "iris/1/model.onnx": "x", "iris/2/notes.txt": "x" });
    expect(specs.map((spec) => spec.name)).toEqual(["iris@1", "lexicon"]);
    expect(warnings.some((warning) => warning.includes('"iris/2"') && warning.includes("holds no model"))).toBe(true);
  });
});

describe("version policy and default version from the manifest", () => {
  const folders = { "iris/1/model.onnx": "x", "iris/2/model.onnx": "x", "iris/3/model.onnx": "x" };

  test("latest: N serves the N newest; the others are listed as unserved", async () => {
    const { specs, groups } = await discover({ ...folders, "models.yaml": "models:\n  iris:\n    version_policy: { latest: 2 }\n" });
    expect(specs.map((spec) => spec.name)).toEqual(["iris@2", "iris@3", "lexicon"]);
    expect(groups!.find((group) => group.name === "iris")).toMatchObject({ defaultVersion: "3", unserved: ["1"], policy: { latest: 2 } });
  });

  test("specific lists versions; a default_version outside the policy is served anyway", async () => {
    const { groups } = await discover({
      ...folders,
      "models.yaml": "models:\n  iris:\n    version_policy: { specific: [3] }\n    default_version: 1\n",
    });
    const iris = groups!.find((group) => group.name === "iris")!;
    expect(iris.versions.map((served) => served.version)).toEqual(["1", "3"]);
    expect(iris).toMatchObject({ defaultVersion: "1", declaredDefault: "1", unserved: ["2"] });
  });

  test("a default_version that does not exist is reported; the newest is the default", async () => {
    const { groups, warnings } = await discover({ ...folders, "models.yaml": "models:\n  iris:\n    default_version: 7\n" });
    expect(groups!.find((group) => group.name === "iris")!.defaultVersion).toBe("3");
    expect(warnings.some((warning) => warning.includes('default_version "7"'))).toBe(true);
  });

  test("required, preload and description apply to every version; a version may set its own", async () => {
    const { specs } = await discover({
      ...folders,
      "models.yaml": [
        "models:",
        "  iris:",
        "    required: true",
        "    preload: false",
        "    description: Iris species",
        "    versions:",
        "      '3': { preload: true, description: The retrained one }",
      ].join("\n"),
    });
    const byName = new Map(specs.map((spec) => [spec.name, spec]));
    expect(byName.get("iris@1")).toMatchObject({ required: true, preload: false, description: "Iris species" });
    expect(byName.get("iris@3")).toMatchObject({ required: true, preload: true, description: "The retrained one" });
  });

  test("PRELOAD may name a model (every version) or one version", async () => {
    const all = await discover(folders, ["iris"]);
    expect(all.specs.filter((spec) => spec.preload).map((spec) => spec.name)).toEqual(["iris@1", "iris@2", "iris@3", "lexicon"]);
    await models!.cleanup();
    const one = await discover(folders, ["iris@2"]);
    expect(one.specs.filter((spec) => spec.preload).map((spec) => spec.name)).toEqual(["iris@2", "lexicon"]);
  });
});

describe("versions declared in the manifest", () => {
  test("files anywhere in the folder become versions of one model, and are no models of their own", async () => {
    const { specs, groups } = await discover({
      "iris_classifier.onnx": "x",
      "exports/iris-2024.onnx": "xx",
      "models.yaml": [
        "models:",
        "  iris:",
        "    versions:",
        "      '1': { path: iris_classifier.onnx }",
        "      '2': { path: exports/iris-2024.onnx }",
        "      '3': {}",
        "    default_version: 2",
      ].join("\n"),
    });
    const byName = new Map(specs.map((spec) => [spec.name, spec]));
    expect([...byName.keys()]).toEqual(["iris@1", "iris@2", "iris@3", "lexicon"]);
    expect(byName.get("iris@2")).toMatchObject({ source: "exports/iris-2024.onnx", modelType: "onnx", group: "iris" });
    expect(byName.get("iris@2")!.problem).toBeUndefined();
    // Declared without a file: registered, and failing with a message that says why.
    expect(byName.get("iris@3")!.problem).toMatch(/declares version "3" of "iris" but the models folder has no "iris\/3"/);
    expect(groups!.find((group) => group.name === "iris")).toMatchObject({ defaultVersion: "2", versioned: true });
  });

  test("declared versions join the version folders of the same model", async () => {
    const { specs } = await discover({
      "iris/1/model.onnx": "x",
      "elsewhere.onnx": "x",
      "models.yaml": "models:\n  iris:\n    versions:\n      '2': { path: elsewhere.onnx }\n",
    });
    expect(specs.map((spec) => [spec.name, spec.source])).toEqual([
      ["iris@1", "iris/1"],
      ["iris@2", "elsewhere.onnx"],
      ["lexicon", undefined],
    ]);
  });
});

/** A manifest that gives iris the routing lines that follow. */
const irisRouting = (...lines: string[]) => ["models:", "  iris:", "    routing:", ...lines].join("\n");

describe("routing in the manifest", () => {
  const folders = { "iris/1/model.onnx": "x", "iris/2/model.onnx": "x", "iris/3/model.onnx": "x", "other.onnx": "x" };

  test("variants, shadow and sticky header are kept; naming the model itself is the same as naming no model", async () => {
    const { groups, warnings } = await discover({
      ...folders,
      "models.yaml": irisRouting(
        "      variants: [{ version: 1, weight: 90 }, { model: iris, version: 2, weight: 5 }, { model: other, weight: 5 }]",
        "      shadow: { version: 3, percent: 25 }",
        "      sticky_header: X-User-Id",
      ),
    });
    expect(warnings).toEqual([]);
    expect(groups!.find((group) => group.name === "iris")!.routing).toEqual({
      variants: [
        { version: "1", weight: 90 },
        { version: "2", weight: 5 },
        { model: "other", weight: 5 },
      ],
      shadow: { version: "3", percent: 25 },
      stickyHeader: "x-user-id",
    });
  });

  test("a version that routing names is served whatever the policy", async () => {
    const { groups } = await discover({
      ...folders,
      "models.yaml": "models:\n  iris:\n    version_policy: { latest: 1 }\n    routing:\n      variants: [{ version: 3, weight: 9 }, { version: 1, weight: 1 }]\n",
    });
    expect(groups!.find((group) => group.name === "iris")!.versions.map((served) => served.version)).toEqual(["1", "3"]);
  });

  test("variants and shadows naming what is not served are dropped with a warning, never routed to", async () => {
    const { groups, warnings } = await discover({
      ...folders,
      "models.yaml": irisRouting(
        "      variants: [{ version: 1, weight: 50 }, { version: 9, weight: 25 }, { model: ghost, weight: 25 }]",
        "      shadow: { model: other, version: 4 }",
        "  other:",
        "    routing:",
        "      variants: [{ model: ghost, weight: 1 }]",
      ),
    });
    expect(groups!.find((group) => group.name === "iris")!.routing).toEqual({ variants: [{ version: "1", weight: 50 }] });
    expect(groups!.find((group) => group.name === "other")!.routing).toBeUndefined();
    expect(warnings.filter((warning) => warning.startsWith("Ignoring the ")).length).toBe(4);
    expect(warnings.some((warning) => warning.includes('variant version "9" of "iris"') && warning.includes('"iris" serves no version "9"'))).toBe(true);
  });
});

describe("manifest mistakes stop the start, naming the key", () => {
  const cases: [string, RegExp][] = [
    ["models:\n  a:\n    version: 2\n    versions: { '1': {} }\n", /models\.a\.version cannot be set together with versions/],
    ["models:\n  a:\n    versions: {}\n", /models\.a\.versions must name at least one version/],
    ["models:\n  a:\n    versions: { '../x': {} }\n", /models\.a\.versions\.\.\.\/x must be a short version string/],
    ["models:\n  a:\n    versions: { '1': { path: ../../etc/passwd } }\n", /models\.a\.versions\.1\.path must be a path inside the models folder/],
    ["models:\n  a:\n    versions: { '1': { weight: 3 } }\n", /models\.a\.versions\.1\.weight is not a known key/],
    ["models:\n  a:\n    version_policy: { latest: 0 }\n", /models\.a\.version_policy\.latest must be a whole number/],
    ["models:\n  a:\n    version_policy: { latest: 1, all: true }\n", /models\.a\.version_policy must be one of/],
    ["models:\n  a:\n    version_policy: { newest: 1 }\n", /models\.a\.version_policy\.newest must be one of/],
    ["models:\n  a:\n    routing: { variants: [{ version: 1, weight: 0 }] }\n", /models\.a\.routing\.variants must give at least one variant a weight above 0/],
    ["models:\n  a:\n    routing: { variants: [{ version: 1, weight: -1 }] }\n", /models\.a\.routing\.variants\[0\]\.weight must be a number/],
    ["models:\n  a:\n    routing: { variants: [{ weight: 1 }] }\n", /models\.a\.routing\.variants\[0\] must name a version, a model, or both/],
    ["models:\n  a:\n    routing: { variants: [] }\n", /models\.a\.routing\.variants must be a list of 1 to 100 variants/],
    ["models:\n  a:\n    routing: { shadow: { version: 2, percent: 101 } }\n", /models\.a\.routing\.shadow\.percent must be a number from 0 to 100/],
    ["models:\n  a:\n    routing: { shadow: { percent: 10 } }\n", /models\.a\.routing\.shadow must name a version or a model/],
    ["models:\n  a:\n    routing: { sticky_header: 'X User' }\n", /models\.a\.routing\.sticky_header must be an HTTP header name/],
    ["models:\n  a:\n    routing: { mirror: {} }\n", /models\.a\.routing\.mirror is not a known key \(known: variants, shadow, sticky_header\)/],
    ["models:\n  a:\n    default_version: 'has space'\n", /models\.a\.default_version must be a short version string/],
  ];
  for (const [yaml, message] of cases) {
    test(JSON.stringify(yaml), async () => {
      models = await tempModels({ "models.yaml": yaml });
      const error = await readManifest(models.dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
    });
  }
});
