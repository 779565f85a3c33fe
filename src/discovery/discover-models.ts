import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { ModelSpec } from "../cache/model-types.ts";
import { ConfigError } from "../config/config-error.ts";
import { classifyEntry, sizeOnDisk, type EntryKind } from "./classify-entry.ts";
import { MANIFEST_FILES, type Manifest, type ManifestEntry } from "./manifest.ts";
import { isValidModelName } from "./model-name.ts";
import { linkOutside } from "./inside-folder.ts";

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
  specs: ModelSpec[];
  warnings: string[];
}

/**
 * Lists the models in the models folder, one spec each, sorted by name, plus the lexicon. Reads
 * names and sizes only, never model bytes. Throws {@link ConfigError} when the folder cannot be
 * read or `PRELOAD` names a model that does not exist.
 *
 * @example
 * const { specs, warnings } = await discoverModels({ modelsDir, cacheDir, defaultVersion: "1.0.0", preload: undefined, manifest });
 */
export async function discoverModels(options: DiscoveryOptions): Promise<Discovery> {
  const { modelsDir, manifest } = options;
  const warnings: string[] = [];
  const found = new Map<string, { path: string; source: string; kind: EntryKind }>();

  let entries;
  try {
    entries = await readdir(modelsDir, { withFileTypes: true });
  } catch (error) {
    throw new ConfigError("MODELS_DIR", `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const cacheDir = resolve(options.cacheDir);
  const claimedPaths = new Set([...manifest.models.values()].flatMap((entry) => (entry.path ? [entry.path] : [])));

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
    const kind = await classifyEntry(path, isDirectory, entry.name);
    if (kind === undefined) {
      if (isDirectory) warnings.push(`Ignoring folder "${entry.name}": it holds no model.onnx, nor config.json + tokenizer.json + onnx/model*.onnx`);
      continue;
    }
    const name = isDirectory ? entry.name : entry.name.replace(/\.[^.]+$/, "");
    if (!isValidModelName(name) || name === LEXICON_MODEL) {
      warnings.push(`Ignoring "${entry.name}": "${name}" is not a usable model name (letters, digits, '.', '_', '-'; "lexicon" is reserved)`);
      continue;
    }
    if (found.has(name)) {
      warnings.push(`Ignoring "${entry.name}": the name "${name}" is already taken by "${found.get(name)!.source}"`);
      continue;
    }
    found.set(name, { path, source: entry.name, kind });
  }

  for (const [name, entry] of manifest.models) {
    if (entry.path === undefined || found.has(name)) continue;
    const path = join(modelsDir, ...entry.path.split("/"));
    const outside = await linkOutside(path, modelsDir);
    const info = outside === undefined ? await stat(path).catch(() => undefined) : undefined;
    const kind = info === undefined ? undefined : await classifyEntry(path, info.isDirectory(), basename(path));
    const problem =
      outside === undefined
        ? `${manifest.file} names "${entry.path}", which is not a model file or folder`
        : `${manifest.file} names "${entry.path}", but "${outside}" leads outside the models folder through a symbolic link; refused`;
    found.set(name, { path, source: entry.path, kind: kind ?? { modelType: entry.type ?? "onnx", problem } });
  }

  const specs: ModelSpec[] = [];
  for (const [name, { path, source, kind }] of found) {
    const declared = manifest.models.get(name) ?? {};
    specs.push({
      ...baseSpec(name, declared, options),
      modelType: declared.type ?? kind.modelType,
      source,
      path,
      sizeBytes: await sizeOnDisk(path).catch(() => undefined),
      ...(kind.dtype !== undefined && { dtype: kind.dtype }),
      ...(kind.problem !== undefined && { problem: kind.problem }),
    });
  }
  for (const [name, declared] of manifest.models) {
    if (found.has(name) || name === LEXICON_MODEL) continue;
    specs.push({
      ...baseSpec(name, declared, options),
      modelType: declared.type ?? "onnx",
      problem: `${manifest.file} declares "${name}" but the models folder has no such model`,
    });
  }
  specs.push({
    ...baseSpec(LEXICON_MODEL, manifest.models.get(LEXICON_MODEL) ?? {}, options),
    modelType: "lexicon",
    // The lexicon is the fallback of every sentiment answer: it always loads at start.
    preload: true,
  });

  const known = new Set(specs.map((spec) => spec.name));
  const unknown = (options.preload ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0 && options.checkPreload === false) {
    warnings.push(`PRELOAD names models no longer in the models folder: ${unknown.join(", ")}`);
  } else if (unknown.length > 0) {
    throw new ConfigError("PRELOAD", `names models that are not in the models folder: ${unknown.join(", ")}`);
  }
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { specs, warnings };
}

function baseSpec(name: string, declared: ManifestEntry, options: DiscoveryOptions): Omit<ModelSpec, "modelType"> {
  return {
    name,
    version: declared.version ?? options.defaultVersion,
    required: declared.required ?? false,
    preload: declared.preload ?? (options.preload === undefined || options.preload.includes(name)),
    ...(declared.description !== undefined && { description: declared.description }),
  };
}
