/**
 * Random JSON values and the awkward strings and numbers a fuzzer feeds into fields: unicode,
 * lone surrogates, NUL, very long text, NaN spelt as strings, numbers at the edges of float64.
 */
import type { Rng } from "./rng.ts";

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Strings that have broken parsers, tokenizers and logs elsewhere. */
const AWKWARD_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "😀🙃👍🏽",
  "\u202egnirts\u202c",
  "\u200b\u200c\u200d\ufeff",
  "Ω≈ç√∫˜µ≤≥÷",
  "田中さんにあげて下さい",
  "مرحبا بالعالم",
  "\r\n\t\u000b\f",
  "null",
  "undefined",
  "NaN",
  "-Infinity",
  "1e999",
  "0x1f",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${jndi:ldap://x}",
  "%s%s%s%n",
  "../../etc/passwd",
  "/etc/passwd",
  "C:\\Windows\\win.ini",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
];

/** Words that the forecast, datatype and name checks look for, spelt right and wrong. */
const DOMAIN_STRINGS = [
  "FP32", "fp32", "FP64", "FP16", "INT64", "INT32", "INT8", "UINT8", "UINT64", "BOOL", "BYTES", "STRING", "float32",
  "D", "H", "W", "M", "MS", "Y", "YS", "T", "min", "S", "B", "3D", "fortnightly", "d", "",
  "2021-01-01", "2021-02-30", "2021-13-01", "0000-01-01", "1677-12-31", "2262-04-12", "9999-12-31T23:59:59",
  "2021-01-01T25:61:61", "2021-01-01T00:00:00+05:00", "2021-01-01T00:00:00.123456789Z", "yesterday", "2021/01/01",
  "iris_classifier", "sales_forecast", "lexicon", "sentiment-bert", "input", "label", "probabilities", "text", "x", "y",
];

/** Numbers at the edges: huge, tiny, negative zero, beyond 2^53, fractional where integers go. */
const AWKWARD_NUMBERS = [
  0, -0, 1, -1, 0.5, -0.5, 1e308, -1e308, 1.7976931348623157e308, 5e-324, 1e-320, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53,
  2 ** 53 + 2, -(2 ** 53), 2 ** 63, 2 ** 64, 1e21, 123456789012345680000, 3.14159, 255, 256, 65535, 65536, 1e6, 1e9,
];

/** Strings that mean "not a number" to someone. */
export const NON_FINITE_STRINGS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "+Infinity", "NAN", "1e999"];

/**
 * An awkward string: from the lists above, random unicode, or very long.
 *
 * @example
 * weirdString(rng); // "\ud800", "田中さん…", "xxxx…(50 000)…"
 */
export function weirdString(rng: Rng, maxLength = 100_000): string {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.pick(AWKWARD_STRINGS);
    case 1:
      return rng.pick(DOMAIN_STRINGS);
    case 2:
      return randomUnicode(rng, rng.int(1, 64));
    case 3:
      return rng.pick(["x", "é", "😀", "ab ", "good ", "\u0000"]).repeat(rng.int(1, Math.max(1, Math.floor(maxLength / 4))));
    default:
      return rng.pick(AWKWARD_STRINGS) + randomUnicode(rng, rng.int(0, 8)) + rng.pick(DOMAIN_STRINGS);
  }
}

/**
 * A string from the domain list (datatypes, frequencies, dates, model and tensor names).
 *
 * @example
 * domainString(rng); // "fp32", "fortnightly", "2021-02-30", …
 */
export function domainString(rng: Rng): string {
  return rng.pick(DOMAIN_STRINGS);
}

/**
 * An awkward number.
 *
 * @example
 * weirdNumber(rng); // 1e308, -0, 2 ** 53 + 2, …
 */
export function weirdNumber(rng: Rng): number {
  return rng.chance(0.7) ? rng.pick(AWKWARD_NUMBERS) : (rng.float() - 0.5) * 10 ** rng.int(-10, 30);
}

/**
 * `length` code points from across the planes, lone surrogates included.
 *
 * @example
 * randomUnicode(rng, 3); // "a\ud83c😀"
 */
export function randomUnicode(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    const plane = rng.int(0, 5);
    const code =
      plane === 0 ? rng.int(0x20, 0x7e) : plane === 1 ? rng.int(0, 0x1f) : plane === 2 ? rng.int(0xd800, 0xdfff) : plane === 3 ? rng.int(0x1f300, 0x1faff) : rng.int(0xa0, 0xffff);
    out += code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code);
  }
  return out;
}

/**
 * A random JSON value up to `depth` levels deep.
 *
 * @example
 * randomJson(rng, 3); // { "ü": [null, 1e308, "\ud800"] }
 */
export function randomJson(rng: Rng, depth = 3): Json {
  const kind = rng.int(0, depth > 0 ? 6 : 3);
  switch (kind) {
    case 0:
      return rng.pick([null, true, false]);
    case 1:
      return weirdNumber(rng);
    case 2:
      return weirdString(rng, 1000);
    case 3:
      return rng.pick(NON_FINITE_STRINGS);
    case 4:
    case 5:
      return Array.from({ length: rng.int(0, 6) }, () => randomJson(rng, depth - 1));
    default: {
      const object: Record<string, Json> = {};
      for (let i = rng.int(0, 5); i > 0; i--) setOwn(object, randomKey(rng), randomJson(rng, depth - 1));
      return object;
    }
  }
}

/**
 * Sets `key` as an own property, "__proto__" included (plain assignment would set the prototype).
 *
 * @example
 * setOwn(body, "__proto__", { polluted: true }); // JSON.stringify(body) shows the key
 */
export function setOwn(object: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A field name: one the API knows, an awkward one, or random.
 *
 * @example
 * randomKey(rng); // "inputs", "__proto__", "file:1/model.onnx", …
 */
export function randomKey(rng: Rng): string {
  return rng.pick([
    "text", "texts", "inputs", "outputs", "name", "shape", "datatype", "data", "parameters", "id", "periods", "freq",
    "include_history", "rows", "ds", "seed", "models", "ready", "config", "file:1/model.onnx", "binary_data_size",
    "binary_data", "__proto__", "constructor", "", "ü", randomUnicode(rng, 4),
  ]);
}

/**
 * Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF.
 *
 * @example
 * invalidUtf8(rng); // bytes of '{"text":"' + 0xC0 0xAF + '"}'
 */
export function invalidUtf8(rng: Rng): Uint8Array {
  const bad = rng.pick([[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3]]);
  const prefix = new TextEncoder().encode(rng.pick(['{"text":"', '{"inputs":[{"name":"', '{"periods":1,"freq":"', '{"models":["', "", '["']));
  const suffix = new TextEncoder().encode(rng.pick(['"}', '"}]}', '"]}', "", '"]']));
  return new Uint8Array([...prefix, ...bad, ...suffix]);
}
