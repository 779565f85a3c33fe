/**
 * Bodies that attack the body reader rather than a route: broken JSON, nesting far past any
 * parser's comfort, sizes around MAX_BODY_BYTES, and bodies that are large but within it.
 */
import type { Json } from "./json-values.ts";
import type { Rng } from "./rng.ts";

const encoder = new TextEncoder();

/**
 * JSON text broken in one of the ways hand-written or truncated bodies break.
 *
 * @example
 * malformedJson(rng, '{"text":"hi"}'); // '{"text":"hi"' or "{'text':'hi'}" or …
 */
export function malformedJson(rng: Rng, valid: string): { text: string; note: string } {
  const cut = rng.int(0, Math.max(0, valid.length - 1));
  const cases: [string, () => string][] = [
    ["truncated", () => valid.slice(0, cut)],
    ["trailing garbage", () => valid + rng.pick(["}", "]", ",", "x", "\u0000", " {}", "\n{}"])],
    ["character replaced", () => valid.slice(0, cut) + rng.pick(["'", '"', "\\", "{", "]", ":", "\u0001"]) + valid.slice(cut + 1)],
    ["single quotes", () => valid.replaceAll('"', "'")],
    ["trailing comma", () => valid.replace(/([}\]])$/, ",$1")],
    ["comment", () => `/* c */${valid}`],
    ["NaN literal", () => valid.replace(/-?\d+(\.\d+)?/, rng.pick(["NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10"]))],
    ["BOM", () => `\ufeff${valid}`],
    ["unquoted keys", () => valid.replace(/"(\w+)":/g, "$1:")],
    ["raw control character", () => valid.replace(/"([^"]*)"/, `"$1\u0007\n"`)],
    ["bad escape", () => valid.replace(/"([^"]*)"/, '"\\x41\\u12"')],
    ["lone brace", () => rng.pick(["{", "[", "}", "]", '"', "nul", "tru", "-", "{{}}", "[,]", "{,}", ":", '{"a"}', '{"a":}'])],
    ["two documents", () => `${valid}${valid}`],
  ];
  const [note, make] = rng.pick(cases);
  return { text: make(), note };
}

/**
 * JSON nested `depth` levels: bare, or inside a field a route reads.
 *
 * @example
 * deepJson(rng, 100_000); // '{"texts":[[[[…]]]]}'
 */
export function deepJson(rng: Rng, depth: number): { text: string; note: string } {
  const arrays = "[".repeat(depth) + "]".repeat(depth);
  const objects = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  const inner = rng.chance(0.6) ? arrays : objects;
  const wrappers = [
    ["bare", (x: string) => x],
    ["inputs data", (x: string) => `{"inputs":[{"name":"input","datatype":"FP32","shape":[1,4],"data":${x}}]}`],
    ["texts", (x: string) => `{"texts":${x}}`],
    ["rows", (x: string) => `{"rows":${x}}`],
    ["parameters", (x: string) => `{"inputs":[],"parameters":{"p":${x}}}`],
    ["models", (x: string) => `{"models":${x}}`],
  ] as const;
  const [where, wrap] = rng.pick(wrappers);
  return { text: wrap(inner), note: `${depth} levels (${inner === arrays ? "arrays" : "objects"}, ${where})` };
}

/**
 * A body of `size` bytes that starts like JSON: `{"text":"xxxx…"}` (cut to size, so it may not
 * close).
 */
export function sizedBody(size: number, field = "text"): Uint8Array {
  const head = encoder.encode(`{"${field}":"`);
  const bytes = new Uint8Array(size).fill(0x78);
  bytes.set(head.subarray(0, Math.min(head.length, size)));
  if (size >= head.length + 2) bytes.set(encoder.encode('"}'), size - 2);
  return bytes;
}

/**
 * A large body within `maxBytes`: long strings, long arrays, many keys. The routes must answer
 * with their limits (422/400), not fall over.
 */
export function bigUnderLimit(rng: Rng, maxBytes: number): { value: Json; note: string } {
  const budget = Math.floor(maxBytes * rng.pick([0.3, 0.6, 0.9]));
  const cases: [string, () => Json][] = [
    ["long text", () => ({ text: "good ".repeat(Math.floor(budget / 5) - 4) })],
    ["many texts", () => ({ texts: Array.from({ length: Math.floor(budget / 5) }, () => "ok") })],
    ["long tensor", () => ({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: Array.from({ length: Math.floor(budget / 4) }, () => 1.5) }] })],
    ["huge shape", () => ({ inputs: [{ name: "input", datatype: "FP32", shape: [1e9, 1e9, 1e9], data: Array.from({ length: Math.floor(budget / 4) }, () => 1) }] })],
    ["many rows", () => ({ rows: Array.from({ length: Math.floor(budget / 20) }, () => ({ ds: "2024-01-01" })) })],
    ["many model names", () => ({ models: Array.from({ length: Math.floor(budget / 10) }, (_, i) => `m${i}`) })],
    ["many keys", () => Object.fromEntries(Array.from({ length: Math.floor(budget / 12) }, (_, i) => [`k${i}`, i]))],
    ["long name", () => ({ inputs: [{ name: "n".repeat(budget - 100), datatype: "FP32", shape: [1], data: [1] }] })],
  ];
  const [note, make] = rng.pick(cases);
  return { value: make(), note: `${note}, about ${Math.round(budget / 1024)} KiB` };
}
