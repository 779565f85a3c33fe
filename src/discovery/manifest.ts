import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runtime } from "#runtime";
import { ConfigError } from "../config/config-error.ts";
import type { ModelType } from "../cache/model-types.ts";
import type { RoutingSpec } from "../versions/model-group.ts";
import type { VersionPolicy } from "../versions/version-policy.ts";
import { isValidModelName } from "./model-name.ts";
import { asRecord, parseFileKey } from "./manifest-values.ts";
import { parseRouting } from "./manifest-routing.ts";
import { parseVersionName, parseVersionPolicy, parseVersions, type ManifestVersion } from "./manifest-versions.ts";

export { isSafeRelativePath } from "./manifest-values.ts";
export type { ManifestVersion } from "./manifest-versions.ts";

/** What the manifest says about one model. */
export interface ManifestEntry {
  version?: string;
  required?: boolean;
  preload?: boolean;
  /** File or folder relative to the models folder, when the name differs from it. */
  path?: string;
  type?: ModelType;
  description?: string;
  /** Versions side by side, by version name (instead of one `version`). */
  versions?: Map<string, ManifestVersion>;
  /** The version `/v2/models/{name}/…` reaches; default: the newest served. */
  defaultVersion?: string;
  /** Which versions are served; default: all. */
  versionPolicy?: VersionPolicy;
  /** Weights over versions or models, a shadow and a sticky header. */
  routing?: RoutingSpec;
  /** False turns dynamic batching off for this model. */
  batching?: boolean;
  /** Overrides BATCH_MAX_DELAY_MS for this model. */
  batch_max_delay_ms?: number;
  /** Overrides BATCH_MAX_RUN_MS for this model. */
  batch_max_run_ms?: number;
  /** Replicas that hold it (each of its versions) in cluster mode: a number, or `all` (the default). */
  copies?: number | "all";
}

/** The optional `models.yaml` / `models.yml` / `models.json` in the models folder. */
export interface Manifest {
  file: string | undefined;
  models: Map<string, ManifestEntry>;
}

/** File names the manifest may have, in order of preference. */
export const MANIFEST_FILES = ["models.yaml", "models.yml", "models.json"] as const;

const ENTRY_KEYS = [
  "version",
  "required",
  "preload",
  "path",
  "type",
  "description",
  "versions",
  "default_version",
  "version_policy",
  "routing",
  "batching",
  "batch_max_delay_ms",
  "batch_max_run_ms",
  "copies",
] as const;

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

/** A whole number of milliseconds from 0 to `max` (`range` says so in the error). */
function milliseconds(setting: string, item: unknown, max: number, range: string): number {
  if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item > max) {
    throw new ConfigError(setting, `must be a whole number of milliseconds from ${range}`);
  }
  return item;
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
        entry.version = parseVersionName(`${where}.version`, item);
        break;
      case "versions":
        entry.versions = parseVersions(`${where}.versions`, item);
        break;
      case "default_version":
        entry.defaultVersion = parseVersionName(`${where}.default_version`, item);
        break;
      case "version_policy":
        entry.versionPolicy = parseVersionPolicy(`${where}.version_policy`, item);
        break;
      case "routing":
        entry.routing = parseRouting(`${where}.routing`, item);
        break;
      case "copies":
        if (item !== "all" && (typeof item !== "number" || !Number.isInteger(item) || item < 1 || item > 10_000)) {
          throw new ConfigError(`${where}.copies`, "must be a whole number of replicas (at least 1) or all");
        }
        entry.copies = item;
        break;
      case "required":
      case "batching":
        if (typeof item !== "boolean") throw new ConfigError(`${where}.${key}`, "must be true or false");
        entry[key as "required" | "batching"] = item;
        break;
      case "batch_max_delay_ms":
        entry.batch_max_delay_ms = milliseconds(`${where}.${key}`, item, 10_000, "0 to 10000");
        break;
      case "batch_max_run_ms":
        entry.batch_max_run_ms = milliseconds(`${where}.${key}`, item, 600_000, "0 (no limit) to 600000");
        break;
      default:
        if (!parseFileKey(entry, where, key, item)) {
          throw new ConfigError(`${where}.${key}`, `is not a known key (known: ${ENTRY_KEYS.join(", ")})`);
        }
    }
  }
  if (entry.version !== undefined && entry.versions !== undefined) {
    throw new ConfigError(`${where}.version`, "cannot be set together with versions (each version is named by its key)");
  }
  return entry;
}
