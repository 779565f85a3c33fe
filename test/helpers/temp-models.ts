import { cp, mkdtemp, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEMO_MODELS } from "./paths.ts";

/** What to put in a temporary models folder: file contents, or `{ copy: path }` of a file or folder. */
export type ModelFiles = Record<string, string | Uint8Array | { copy: string }>;

/** A temporary models folder, removed by `cleanup()`. */
export interface TempModels {
  dir: string;
  cleanup(): Promise<void>;
}

/**
 * Makes a temporary models folder. Sources are copied, never linked, so tests never touch the
 * shared fixtures or the demo models.
 *
 * @example
 * const models = await tempModels({ "iris.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, "bad.onnx": "junk" });
 */
export async function tempModels(files: ModelFiles): Promise<TempModels> {
  const dir = await mkdtemp(join(tmpdir(), "model-cache-test-"));
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name);
    await mkdir(dirname(target), { recursive: true });
    if (typeof content === "object" && !(content instanceof Uint8Array)) await cp(content.copy, target, { recursive: true });
    else await writeFile(target, content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The demo models as the repository ships them (every entry of models/ but the transformers
 * cache), to copy into a temporary folder.
 *
 * @example
 * const models = await tempModels(await shippedDemoModels());
 */
export async function shippedDemoModels(): Promise<ModelFiles> {
  const entries = await readdir(DEMO_MODELS);
  return Object.fromEntries(entries.filter((entry) => entry !== "cache" && !entry.startsWith(".")).map((entry) => [entry, { copy: join(DEMO_MODELS, entry) }]));
}
