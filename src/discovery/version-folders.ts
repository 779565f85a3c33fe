import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isVersionFolderName } from "../versions/version-name.ts";
import { classifyEntry, type EntryKind } from "./classify-entry.ts";

/** One version of a model found on disk. */
export interface FoundVersion {
  /** Absolute path of the version's file or folder. */
  path: string;
  /** The same, relative to the models folder. */
  source: string;
  kind: EntryKind;
}

/**
 * The versions in a model folder laid out as Triton lays them out: `<name>/<version>/model.onnx`
 * (or `model.ort`, a Hugging Face folder, or a Prophet export as `model.json`), with whole-number
 * or semver-like version names. Returns an empty map when `path` holds no version folder.
 * Sub-folders that are not versions, and version folders that hold no model, are reported.
 *
 * @example
 * await versionFolders("/srv/models/iris", "iris", warnings); // Map { "1" => …, "2" => … }
 */
export async function versionFolders(path: string, source: string, warnings: string[]): Promise<Map<string, FoundVersion>> {
  const versions = new Map<string, FoundVersion>();
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(join(path, entry.name)).catch(() => undefined))?.isDirectory() === true);
    if (isDirectory) folders.push(entry.name);
  }
  const named = folders.filter(isVersionFolderName);
  if (named.length === 0) return versions;
  for (const other of folders.filter((folder) => !isVersionFolderName(folder))) {
    warnings.push(`Ignoring folder "${source}/${other}": "${other}" is not a version (whole numbers such as 2, or semver such as 1.2.0)`);
  }
  for (const version of named) {
    const found = await versionContent(join(path, version), `${source}/${version}`);
    if (found === undefined) warnings.push(`Ignoring version folder "${source}/${version}": it holds no model.onnx, model.ort, model.json nor Hugging Face files`);
    else versions.set(version, found);
  }
  return versions;
}

async function versionContent(path: string, source: string): Promise<FoundVersion | undefined> {
  const kind = await classifyEntry(path, true, source);
  if (kind !== undefined) return { path, source, kind };
  const file = join(path, "model.json");
  if ((await stat(file).catch(() => undefined))?.isFile() === true) {
    return { path: file, source: `${source}/model.json`, kind: { modelType: "prophet" } };
  }
  return undefined;
}
