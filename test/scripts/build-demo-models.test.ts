/**
 * The committed demo models must be exactly what scripts/build-demo-models.ts produces, and
 * must run: regenerate into a temporary folder, compare bytes, then load the ONNX files on
 * onnxruntime-web and the text models through transformers.js.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-web";
import { runScriptSync } from "../helpers/run-script.ts";
import { LINEAR_EXAMPLE_INPUT, linearReference } from "../../scripts/demo-models/linear-external.ts";
import { prophetTrend, type ProphetExport } from "../../scripts/demo-models/prophet/prophet-check.ts";
import { evaluateFolder } from "../../scripts/demo-models/sentiment/evaluate-sentiment.ts";
import { EVALUATION_SETS, MEASURED_CORRECT } from "../../scripts/demo-models/sentiment/measured-accuracy.ts";
import { transformersOnWasm } from "../../scripts/demo-models/sentiment/transformers-on-wasm.ts";
import { SHARED_FIXTURES } from "../helpers/paths.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";
import { SERVICE_HOOK_LIMIT_MS } from "../helpers/limits.ts";

const REPO = join(import.meta.dirname, "..", "..");
const MODELS = join(REPO, "models");
const SENTIMENT_FIXTURES = join(SHARED_FIXTURES, "sentiment");
/** Owned by the service, not by the demo-model script. */
const NOT_GENERATED = (path: string) => path === "models.yaml" || path === "cache" || path.startsWith("cache/");

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = relative(root, full).split(sep).join("/");
    if (NOT_GENERATED(rel)) return [];
    return statSync(full).isDirectory() ? listFiles(root, full) : [rel];
  });
}

let outDir = "";
let stdout = "";

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), "demo-models-"));
  const run = runScriptSync("scripts/build-demo-models.ts", ["--out", outDir]);
  stdout = run.stdout;
  if (run.exitCode !== 0) throw new Error(`build failed: ${run.stderr}`);
}, SERVICE_HOOK_LIMIT_MS);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("regeneration", () => {
  test("writes the same set of files as models/ holds", () => {
    expect(listFiles(outDir).sort()).toEqual(listFiles(MODELS).sort());
  });

  test("every file is byte-identical to the committed one", () => {
    const differing = listFiles(outDir).filter(
      (path) => !Buffer.from(readFileSync(join(outDir, path))).equals(readFileSync(join(MODELS, path))),
    );
    expect(differing).toEqual([]);
  });

  test("prints size and sha256 for each file", () => {
    const lines = stdout.split("\n").filter((l) => /^\s*\d+ {2}[0-9a-f]{64} {2}\S/.test(l));
    expect(lines.length).toBe(listFiles(outDir).length);
    const iris = lines.find((l) => l.endsWith("iris_classifier.onnx"));
    const size = statSync(join(outDir, "iris_classifier.onnx")).size;
    expect(iris?.trim().startsWith(`${size}  `)).toBe(true);
  });

  test("refuses an unknown argument and writes nothing", () => {
    const run = runScriptSync("scripts/build-demo-models.ts", ["--bogus"]);
    expect(run.exitCode).toBe(2);
  });
});

describe("iris_classifier.onnx", () => {
  test("classifies the reference rows as setosa and virginica", async () => {
    const session = await ort.InferenceSession.create(readFileSync(join(MODELS, "iris_classifier.onnx")));
    const input = new ort.Tensor("float32", new Float32Array([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]), [2, 4]);
    const out = await session.run({ input });
    expect(Array.from(out.label?.data as BigInt64Array)).toEqual([0n, 2n]);
    const p = out.probabilities?.data as Float32Array;
    expect(out.probabilities?.dims).toEqual([2, 3]);
    expect((p[0] as number) + (p[1] as number) + (p[2] as number)).toBeCloseTo(1, 5);
    await session.release();
  });
});

describe("linear-external", () => {
  const dir = join(MODELS, "linear-external");

  test("runs with the externalData session option and gives the documented output", async () => {
    const session = await ort.InferenceSession.create(readFileSync(join(dir, "model.onnx")), {
      externalData: [{ path: "model.onnx.data", data: readFileSync(join(dir, "model.onnx.data")) }],
    });
    const x = new ort.Tensor("float32", new Float32Array(LINEAR_EXAMPLE_INPUT), [1, 8]);
    const out = await session.run({ x });
    const expected = linearReference(LINEAR_EXAMPLE_INPUT);
    expect(Array.from(out.y?.data as Float32Array)).toEqual(expected);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain(`y = [[${expected.join(", ")}]]`);
    await session.release();
  });

  test("stores W and b as external data in a sibling file", () => {
    const model = onnx.ModelProto.decode(readFileSync(join(dir, "model.onnx")));
    const entries = (model.graph?.initializer ?? []).map((t) => ({
      name: t.name,
      location: t.dataLocation,
      external: Object.fromEntries((t.externalData ?? []).map((e) => [e.key, e.value])),
      inline: (t.rawData?.length ?? 0) + (t.floatData?.length ?? 0),
    }));
    const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;
    expect(entries).toEqual([
      { name: "W", location: EXTERNAL, external: { location: "model.onnx.data", offset: "0", length: "64" }, inline: 0 },
      { name: "b", location: EXTERNAL, external: { location: "model.onnx.data", offset: "64", length: "8" }, inline: 0 },
    ]);
    expect(statSync(join(dir, "model.onnx.data")).size).toBe(72);
  });

  test("cannot load without its data file", async () => {
    await expect(ort.InferenceSession.create(readFileSync(join(dir, "model.onnx")))).rejects.toThrow();
  });
});

describe("sales_forecast.json", () => {
  const model = JSON.parse(readFileSync(join(MODELS, "sales_forecast.json"), "utf8")) as ProphetExport &
    Record<string, unknown>;

  test("is a plain (not double-encoded) Prophet 1.1.5 export", () => {
    expect(model.__prophet_version).toBe("1.1.5");
    for (const key of ["history", "history_dates", "changepoints", "train_component_cols"]) {
      expect(typeof model[key]).toBe("string");
      JSON.parse(model[key] as string);
    }
  });

  test("params.trend is the trend formula at every history point", () => {
    const history = JSON.parse(model.history as unknown as string) as { data: { t: number }[] };
    const trend = model.params.trend?.[0] ?? [];
    expect(trend.length).toBe(history.data.length);
    history.data.forEach((row, i) => {
      expect(Math.abs((trend[i] as number) - prophetTrend(model, row.t))).toBeLessThan(1e-5);
    });
  });
});

describe("text classifiers through transformers.js", () => {
  const cases: [string, "POSITIVE" | "NEGATIVE"][] = [
    ["I love this phone, it works great!", "POSITIVE"],
    ["This is not good at all.", "NEGATIVE"],
    ["Terrible service, I won't come back.", "NEGATIVE"],
  ];

  for (const folder of ["sentiment-bert", "sentiment-distilbert"]) {
    test(`${folder} labels plain sentences sensibly`, async () => {
      const { pipeline } = await transformersOnWasm(MODELS);
      const classify = await pipeline("sentiment-analysis", folder, { device: "auto", dtype: "fp32" });
      for (const [text, label] of cases) {
        const [top] = (await classify(text)) as { label: string }[];
        expect({ text, label: top?.label }).toEqual({ text, label });
      }
      await classify.dispose();
    });
  }

  test("only the BERT graph takes token_type_ids", async () => {
    const inputs = async (folder: string) => {
      const session = await ort.InferenceSession.create(readFileSync(join(MODELS, folder, "onnx", "model.onnx")));
      const names = [...session.inputNames].sort();
      await session.release();
      return names;
    };
    expect(await inputs("sentiment-bert")).toEqual(["attention_mask", "input_ids", "token_type_ids"]);
    expect(await inputs("sentiment-distilbert")).toEqual(["attention_mask", "input_ids"]);
  });

  // About 3,900 sentences through both transformers: seconds on an idle machine, more on a busy one.
  sharedFixtures.test("the accuracy quoted in the model cards is current", async () => {
    for (const folder of ["sentiment-bert", "sentiment-distilbert"]) {
      const results = await evaluateFolder(MODELS, folder, SENTIMENT_FIXTURES);
      expect(results.map((r) => r.total)).toEqual(EVALUATION_SETS.map((s) => s.rows));
      expect(results.map((r) => r.correct)).toEqual([...(MEASURED_CORRECT[folder] ?? [])]);
    }
  }, 180_000);
});
