import { ConfigError } from "../config/config-error.ts";
import { MODEL_TYPES, type ModelType } from "../cache/model-types.ts";

/** A mapping from the manifest, or a {@link ConfigError} naming where it is not one. */
export function asRecord(value: unknown, where: string): Record<string, unknown> {
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

/** A `path` key: a file or folder inside the models folder. */
function parsePath(where: string, value: unknown): string {
  if (typeof value !== "string" || !isSafeRelativePath(value)) {
    throw new ConfigError(where, "must be a path inside the models folder (relative, no '..')");
  }
  return value;
}

/** A `type` key: a model type the manifest may set. */
function parseModelType(where: string, value: unknown): ModelType {
  if (typeof value !== "string" || !MODEL_TYPES.includes(value as ModelType) || value === "custom" || value === "lexicon") {
    throw new ConfigError(where, "must be one of onnx, transformer, prophet");
  }
  return value as ModelType;
}

/** The keys a model and one of its versions share: where its file is and how it loads. */
export interface FileKeys {
  path?: string;
  type?: ModelType;
  description?: string;
  preload?: boolean;
}

/** Reads `path`, `type`, `description` or `preload` into `entry`; false for any other key. */
export function parseFileKey(entry: FileKeys, where: string, key: string, value: unknown): boolean {
  switch (key) {
    case "path":
      entry.path = parsePath(`${where}.path`, value);
      return true;
    case "type":
      entry.type = parseModelType(`${where}.type`, value);
      return true;
    case "description":
      if (typeof value !== "string") throw new ConfigError(`${where}.description`, "must be text");
      entry.description = value;
      return true;
    case "preload":
      if (typeof value !== "boolean") throw new ConfigError(`${where}.preload`, "must be true or false");
      entry.preload = value;
      return true;
    default:
      return false;
  }
}
