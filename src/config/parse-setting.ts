import { ConfigError } from "./config-error.ts";

/** Raw settings, as in `process.env`. */
export type RawSettings = Readonly<Record<string, string | undefined>>;

/** A raw value with surrounding blanks removed; empty means unset. */
function raw(env: RawSettings, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads a whole number within bounds.
 *
 * @example
 * readInteger({ PORT: "8080" }, "PORT", 3000, { min: 0, max: 65535 }); // 8080
 */
export function readInteger(
  env: RawSettings,
  key: string,
  fallback: number,
  bounds: { min: number; max?: number },
): number {
  const text = raw(env, key);
  if (text === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(text)) {
    throw new ConfigError(key, `must be a whole number, got "${text}"`);
  }
  const value = Number(text);
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < bounds.min || value > max) {
    const range = bounds.max === undefined ? `≥ ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`;
    throw new ConfigError(key, `must be ${range}, got ${text}`);
  }
  return value;
}

/**
 * Reads one of a fixed set of words (case-insensitive).
 *
 * @example
 * readChoice({ LOG_LEVEL: "debug" }, "LOG_LEVEL", ["debug", "info"] as const, "info"); // "debug"
 */
export function readChoice<T extends string>(
  env: RawSettings,
  key: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = raw(env, key)?.toLowerCase();
  if (text === undefined) return fallback;
  const match = choices.find((choice) => choice === text);
  if (match === undefined) {
    throw new ConfigError(key, `must be one of ${choices.join(", ")}, got "${text}"`);
  }
  return match;
}

/**
 * Reads a yes/no flag: true/false, 1/0, yes/no, on/off.
 *
 * @example
 * readFlag({ ALLOW_REMOTE_MODELS: "yes" }, "ALLOW_REMOTE_MODELS", false); // true
 */
export function readFlag(env: RawSettings, key: string, fallback: boolean): boolean {
  const text = raw(env, key)?.toLowerCase();
  if (text === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  throw new ConfigError(key, `must be true or false, got "${text}"`);
}

/** Reads free text; `undefined` when unset or blank. */
export function readText(env: RawSettings, key: string): string | undefined {
  return raw(env, key);
}

/** Reads a comma-separated list of names; `undefined` when unset, blank or `*`. */
export function readNameList(env: RawSettings, key: string): string[] | undefined {
  const text = raw(env, key);
  if (text === undefined || text === "*") return undefined;
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return [...new Set(names)];
}
