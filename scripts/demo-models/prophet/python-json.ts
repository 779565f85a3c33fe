/**
 * Writes JSON the way Python's json.dumps does by default (", " and ": " separators, floats
 * in repr form such as 10.0 or 1e-05), so a generated Prophet export reads like a real one.
 * Python tells ints from floats; JavaScript does not, so floats are wrapped in PyFloat.
 */

/** A number Python would hold as a float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Values this writer accepts; objects keep insertion order (use only non-numeric keys). */
export type PyJson = null | boolean | string | number | PyFloat | PyJson[] | { [key: string]: PyJson };

/** Shorthand for a Python float. */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** Python's repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${whole}.${digits.slice(exp + 1) || "0"}`;
}

/** json.dumps(value) for the subset of values above (ASCII-only strings expected). */
export function pyJsonDumps(value: PyJson): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return asciiString(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`non-integer ${value} must be wrapped in PyFloat`);
    return String(value);
  }
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${asciiString(k)}: ${pyJsonDumps(v)}`)
    .join(", ")}}`;
}

function asciiString(s: string): string {
  // json.dumps escapes every non-ASCII character (ensure_ascii=True).
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
