import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runtime } from "#runtime";
import { ConfigError } from "../config/config-error.ts";
import { MODEL_TYPES, type ModelType } from "../cache/model-types.ts";
import { isValidModelName } from "./model-name.ts";

/** What the manifest says about one model. */
export interface ManifestEntry {
  version?: string;
  required?: boolean;
  preload?: boolean;
  /** File or folder relative to the models folder, when the name differs from it. */
  path?: string;
  type?: ModelType;
  description?: string;
}

/** The optional `models.yaml` / `models.yml` / `models.json` in the models folder. */
export interface Manifest {
  file: string | undefined;
  models: Map<string, ManifestEntry>;
}

/** File names the manifest may have, in order of preference. */
export const MANIFEST_FILES = ["models.yaml", "models.yml", "models.json"] as const;

const ENTRY_KEYS = ["version", "required", "preload", "path", "type", "description"] as const;

/**
 * Reads the manifest of a models folder, if there is one. Unknown keys, wrong types and unsafe
 * paths are {@link ConfigError}s that name the file and the key.
 *
 * @example
 * // models/models.yaml
 * // models:
 * //   iris_classifier: { version: 2.1.0, required: true }
 * const manifest = await readManifest("/srv/models");
 */
export async function readManifest(modelsDir: string): Promise<Manifest> {
  for (const file of MANIFEST_FILES) {
    const text = await readFile(join(modelsDir, file), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new ConfigError(file, `cannot be read: ${error.code ?? error.message}`);
    });
    if (text === undefined) continue;
    let data: unknown;
    try {
      data = file.endsWith(".json") ? JSON.parse(text) : runtime.parseYaml(text);
    } catch (error) {
      throw new ConfigError(file, `cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { file, models: parseManifest(file, data) };
  }
  return { file: undefined, models: new Map() };
}

/** Checks the parsed content of a manifest. */
export function parseManifest(file: string, data: unknown): Map<string, ManifestEntry> {
  const models = new Map<string, ManifestEntry>();
  if (data === null || data === undefined) return models;
  const root = asRecord(data, file);
  for (const key of Object.keys(root)) {
    if (key !== "models") throw new ConfigError(`${file}: ${key}`, `is not a known key (known: models)`);
  }
  if (root.models === undefined || root.models === null) return models;
  for (const [name, value] of Object.entries(asRecord(root.models, `${file}: models`))) {
    const where = `${file}: models.${name}`;
    if (!isValidModelName(name)) {
      throw new ConfigError(where, "is not a valid model name (letters, digits, '.', '_', '-'; at most 128)");
    }
    models.set(name, parseEntry(where, value ?? {}));
  }
  return models;
}

function parseEntry(where: string, value: unknown): ManifestEntry {
  const record = asRecord(value, where);
  const entry: ManifestEntry = {};
  for (const [key, item] of Object.entries(record)) {
    switch (key as (typeof ENTRY_KEYS)[number]) {
      case "version":
        if ((typeof item !== "string" && typeof item !== "number") || !/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(String(item))) {
          throw new ConfigError(`${where}.version`, "must be a short version string such as 1.2.0");
        }
        entry.version = String(item);
        break;
      case "required":
      case "preload":
        if (typeof item !== "boolean") throw new ConfigError(`${where}.${key}`, "must be true or false");
        entry[key as "required" | "preload"] = item;
        break;
      case "path":
        if (typeof item !== "string" || !isSafeRelativePath(item)) {
          throw new ConfigError(`${where}.path`, "must be a path inside the models folder (relative, no '..')");
        }
        entry.path = item;
        break;
      case "type":
        if (typeof item !== "string" || !MODEL_TYPES.includes(item as ModelType) || item === "custom" || item === "lexicon") {
          throw new ConfigError(`${where}.type`, "must be one of onnx, transformer, prophet");
        }
        entry.type = item as ModelType;
        break;
      case "description":
        if (typeof item !== "string") throw new ConfigError(`${where}.description`, "must be text");
        entry.description = item;
        break;
      default:
        throw new ConfigError(`${where}.${key}`, `is not a known key (known: ${ENTRY_KEYS.join(", ")})`);
    }
  }
  return entry;
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(where, "must be a mapping of keys to values");
  }
  return value as Record<string, unknown>;
}

/** A relative path that stays inside the folder it is relative to. */
export function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.includes("\0") || path.includes("\\")) return false;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return false;
  return path.split("/").every((part) => part !== ".." && part !== "");
}
