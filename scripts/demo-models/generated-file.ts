/**
 * The unit every demo-model builder returns: a relative path and its exact bytes.
 * Builders never touch the disk; the entry script decides where the files go.
 */

/** One output file, path relative to the models folder, always with "/" separators. */
export interface GeneratedFile {
  path: string;
  bytes: Uint8Array;
}

/** A UTF-8 text file. */
export function textFile(path: string, text: string): GeneratedFile {
  return { path, bytes: new TextEncoder().encode(text) };
}

/**
 * A JSON file with two-space indentation and a final newline. Maps are written as objects in
 * insertion order (plain objects would move integer-like keys such as "0" to the front).
 */
export function jsonFile(path: string, value: unknown): GeneratedFile {
  return textFile(path, `${stringifyOrdered(value, "")}\n`);
}

/** JSON.stringify with two-space indentation that keeps Map insertion order. */
export function stringifyOrdered(value: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (value instanceof Map) {
    if (value.size === 0) return "{}";
    const parts = [...value].map(([k, v]) => `${inner}${JSON.stringify(String(k))}: ${stringifyOrdered(v, inner)}`);
    return `{\n${parts.join(",\n")}\n${indent}}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + stringifyOrdered(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const parts = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyOrdered(v, inner)}`);
    return `{\n${parts.join(",\n")}\n${indent}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error("JSON cannot hold NaN or Infinity");
  return JSON.stringify(value);
}
