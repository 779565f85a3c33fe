import { ConfigError } from "../config/config-error.ts";
import { isVersionName } from "../versions/version-name.ts";
import type { VersionPolicy } from "../versions/version-policy.ts";
import { asRecord, parseFileKey, type FileKeys } from "./manifest-values.ts";

/**
 * What the manifest says about one version of a model: `path` (absent: the version folder
 * `<name>/<version>`), `type`, `description`, `preload`.
 */
export type ManifestVersion = FileKeys;

const VERSION_KEYS = ["path", "type", "description", "preload"] as const;

/**
 * Reads a version name: YAML turns `2` and `1.5` into numbers, which are taken as the text they
 * were written as.
 */
export function parseVersionName(where: string, value: unknown): string {
  if ((typeof value !== "string" && typeof value !== "number") || !isVersionName(String(value))) {
    throw new ConfigError(where, "must be a short version string such as 2 or 1.2.0");
  }
  return String(value);
}

/** `versions: { "1": { path: … }, "2": {} }`: each version and where it is. */
export function parseVersions(where: string, value: unknown): Map<string, ManifestVersion> {
  const versions = new Map<string, ManifestVersion>();
  for (const [key, raw] of Object.entries(asRecord(value, where))) {
    const at = `${where}.${key}`;
    const version = parseVersionName(at, key);
    const entry: ManifestVersion = {};
    for (const [field, item] of Object.entries(asRecord(raw ?? {}, at))) {
      if (!parseFileKey(entry, at, field, item)) {
        throw new ConfigError(`${at}.${field}`, `is not a known key (known: ${VERSION_KEYS.join(", ")})`);
      }
    }
    versions.set(version, entry);
  }
  if (versions.size === 0) throw new ConfigError(where, "must name at least one version");
  return versions;
}

/** `version_policy: { latest: 2 } | { all: true } | { specific: ["1", "3"] }`. */
export function parseVersionPolicy(where: string, value: unknown): VersionPolicy {
  const record = asRecord(value, where);
  const keys = Object.keys(record);
  const problem = "must be one of { latest: N }, { all: true } or { specific: [versions] }";
  if (keys.length !== 1) throw new ConfigError(where, problem);
  const item = record[keys[0]!];
  switch (keys[0]) {
    case "latest":
      if (typeof item !== "number" || !Number.isInteger(item) || item < 1 || item > 1000) {
        throw new ConfigError(`${where}.latest`, "must be a whole number from 1 to 1000");
      }
      return { latest: item };
    case "all":
      if (item !== true) throw new ConfigError(`${where}.all`, "must be true");
      return { all: true };
    case "specific":
      if (!Array.isArray(item) || item.length === 0) throw new ConfigError(`${where}.specific`, "must list at least one version");
      return { specific: item.map((version, i) => parseVersionName(`${where}.specific[${i}]`, version)) };
    default:
      throw new ConfigError(`${where}.${keys[0]}`, problem);
  }
}
