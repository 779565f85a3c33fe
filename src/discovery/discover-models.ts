import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { ModelSpec } from "../cache/model-types.ts";
import { ConfigError } from "../config/config-error.ts";
import type { GroupSpec } from "../versions/model-group.ts";
import { checkRouting } from "./check-routing.ts";
import { classifyEntry } from "./classify-entry.ts";
import { linkOutside } from "./inside-folder.ts";
import { MANIFEST_FILES, type Manifest } from "./manifest.ts";
import { isValidModelName } from "./model-name.ts";
import { baseSpec, plainModel, singleGroup, versionedModel } from "./model-specs.ts";
import { versionFolders, type FoundVersion } from "./version-folders.ts";

/** Name of the always-present lexicon analyser. */
export const LEXICON_MODEL = "lexicon";

/** What discovery needs to know. */
export interface DiscoveryOptions {
  modelsDir: string;
  cacheDir: string;
  defaultVersion: string;
  /** `PRELOAD`; `undefined` means all. */
  preload: string[] | undefined;
  manifest: Manifest;
  /** Refuse a `PRELOAD` that names a missing model (at start; later rescans only warn). */
  checkPreload?: boolean;
}

/** The models found, and what was passed over and why. */
export interface Discovery {
  /** One per cache record: a model, or one version of a versioned model (`name@version`). */
  specs: ModelSpec[];
  warnings: string[];
  /**
   * Every model as clients name it, with its versions, default version, policy and routing.
   * Absent (a discovery made by hand): every spec is a model of its own.
   */
  groups?: GroupSpec[];
}

/** A model on disk: one file or folder, or version folders side by side. */
type FoundModel = { plain: FoundVersion } | { versions: Map<string, FoundVersion> };

/**
 * Lists the models in the models folder, one spec per record, sorted by name, plus the lexicon,
 * and one group per model name. A folder of version folders (`iris/1/model.onnx`,
 * `iris/2/model.onnx`) or a manifest `versions` entry makes one record per served version.
 * Reads names and sizes only, never model bytes. Throws {@link ConfigError} when the folder
 * cannot be read or `PRELOAD` names a model that does not exist.
 *
 * @example
 * const { specs, groups, warnings } = await discoverModels({ modelsDir, cacheDir, defaultVersion: "1.0.0", preload: undefined, manifest });
 */
export async function discoverModels(options: DiscoveryOptions): Promise<Discovery> {
  const { modelsDir, manifest } = options;
  const warnings: string[] = [];
  const found = await scanFolder(options, warnings);

  for (const [name, entry] of manifest.models) {
    if (entry.path === undefined || found.has(name)) continue;
    found.set(name, await declaredPath(modelsDir, entry.path, entry.type, manifest.file, warnings));
  }
  for (const [name, entry] of manifest.models) {
    if (entry.versions === undefined) continue;
    const current = found.get(name);
    if (current !== undefined && "plain" in current) {
      warnings.push(`Ignoring "${current.plain.source}": ${manifest.file} declares versions of "${name}"`);
    }
    const versions = current !== undefined && "versions" in current ? current.versions : new Map<string, FoundVersion>();
    for (const [version, declared] of entry.versions) {
      if (declared.path === undefined) continue;
      const at = await declaredPath(modelsDir, declared.path, declared.type ?? entry.type, manifest.file, warnings);
      const problem = `${manifest.file} names "${declared.path}", a folder of versions, as one version`;
      versions.set(version, "plain" in at ? at.plain : { path: join(modelsDir, declared.path), source: declared.path, kind: { modelType: "onnx", problem } });
    }
    found.set(name, { versions });
  }

  const specs: ModelSpec[] = [];
  const groups = new Map<string, GroupSpec>();
  const add = ({ specs: made, group }: { specs: ModelSpec[]; group: GroupSpec }) => {
    specs.push(...made);
    groups.set(group.name, group);
  };
  for (const [name, model] of found) {
    const declared = manifest.models.get(name) ?? {};
    add("plain" in model ? await plainModel(name, model.plain, declared, options, warnings) : await versionedModel(name, model.versions, declared, options, warnings));
  }
  for (const [name, declared] of manifest.models) {
    if (found.has(name) || name === LEXICON_MODEL) continue;
    add(await plainModel(name, undefined, declared, options, warnings));
  }
  const lexicon = manifest.models.get(LEXICON_MODEL) ?? {};
  // The lexicon is the fallback of every sentiment answer: it loads at start, after the other
  // models (on two cores, loading it beside a 268 MB model delayed that model by ~180 ms), unless
  // the manifest says `preload: false` (its worker costs ~32 MiB: then the first fallback loads
  // it). PRELOAD, a list of the models to load, does not leave the fallback out.
  specs.push({ ...baseSpec(LEXICON_MODEL, lexicon, options), modelType: "lexicon", preload: lexicon.preload ?? true, preloadLast: true });
  groups.set(LEXICON_MODEL, singleGroup(LEXICON_MODEL, specs.at(-1)!.version, lexicon));
  checkRouting(groups, warnings);

  const known = new Set([...specs.map((spec) => spec.name), ...groups.keys()]);
  const unknown = (options.preload ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0 && options.checkPreload === false) {
    warnings.push(`PRELOAD names models no longer in the models folder: ${unknown.join(", ")}`);
  } else if (unknown.length > 0) {
    throw new ConfigError("PRELOAD", `names models that are not in the models folder: ${unknown.join(", ")}`);
  }
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { specs, warnings, groups: [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/** The models directly in the models folder: files, model folders and folders of versions. */
async function scanFolder(options: DiscoveryOptions, warnings: string[]): Promise<Map<string, FoundModel>> {
  const { modelsDir, manifest } = options;
  const found = new Map<string, FoundModel>();
  let entries;
  try {
    entries = await readdir(modelsDir, { withFileTypes: true });
  } catch (error) {
    throw new ConfigError("MODELS_DIR", `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const cacheDir = resolve(options.cacheDir);
  const claimedPaths = new Set(
    [...manifest.models.values()].flatMap((entry) => [
      ...(entry.path ? [entry.path] : []),
      ...[...(entry.versions?.values() ?? [])].flatMap((version) => (version.path ? [version.path] : [])),
    ]),
  );

  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(modelsDir, entry.name);
    if (entry.name.startsWith(".") || resolve(path) === cacheDir || (MANIFEST_FILES as readonly string[]).includes(entry.name)) continue;
    if (claimedPaths.has(entry.name)) continue;
    const outside = await linkOutside(path, modelsDir);
    if (outside !== undefined) {
      warnings.push(`Ignoring "${entry.name}": "${outside}" is a symbolic link that leads outside the models folder; refused`);
      continue;
    }
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() === true);
    const model = await modelAt(path, isDirectory, entry.name, warnings);
    if (model === undefined) {
      if (isDirectory) {
        warnings.push(`Ignoring folder "${entry.name}": it holds no model.onnx, nor config.json + tokenizer.json + onnx/model*.onnx, nor version folders`);
      }
      continue;
    }
    const name = isDirectory ? entry.name : entry.name.replace(/\.[^.]+$/, "");
    if (!isValidModelName(name) || name === LEXICON_MODEL) {
      warnings.push(`Ignoring "${entry.name}": "${name}" is not a usable model name (letters, digits, '.', '_', '-'; "lexicon" is reserved)`);
      continue;
    }
    const taken = found.get(name);
    if (taken !== undefined) {
      warnings.push(`Ignoring "${entry.name}": the name "${name}" is already taken by "${"plain" in taken ? taken.plain.source : name}"`);
      continue;
    }
    found.set(name, model);
  }
  return found;
}

/** A file or folder as a model: one model, a folder of versions, or nothing. */
async function modelAt(path: string, isDirectory: boolean, source: string, warnings: string[]): Promise<FoundModel | undefined> {
  const kind = await classifyEntry(path, isDirectory, basename(path));
  if (kind !== undefined) return { plain: { path, source, kind } };
  if (!isDirectory) return undefined;
  const versions = await versionFolders(path, source, warnings);
  return versions.size > 0 ? { versions } : undefined;
}

/**
 * What a manifest `path` points at; a path that is no model, or that leads out of the models
 * folder through a symbolic link, is a model with a problem.
 */
async function declaredPath(modelsDir: string, relative: string, type: ModelSpec["modelType"] | undefined, file: string | undefined, warnings: string[]): Promise<FoundModel> {
  const path = join(modelsDir, ...relative.split("/"));
  const outside = await linkOutside(path, modelsDir);
  const info = outside === undefined ? await stat(path).catch(() => undefined) : undefined;
  const model = info === undefined ? undefined : await modelAt(path, info.isDirectory(), relative, warnings);
  const problem =
    outside === undefined
      ? `${file} names "${relative}", which is not a model file or folder`
      : `${file} names "${relative}", but "${outside}" leads outside the models folder through a symbolic link; refused`;
  return model ?? { plain: { path, source: relative, kind: { modelType: type ?? "onnx", problem } } };
}
