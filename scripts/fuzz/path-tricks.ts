/**
 * Path segments that try to leave the models folder or confuse name lookups. Each is sent as
 * written (already percent-encoded where it says so); the service must answer 400 or 404 and
 * read no file.
 */
import type { Rng } from "./rng.ts";

/** Segments in place of a model name, version or asset file. */
export const PATH_TRICKS: readonly string[] = [
  "..",
  ".",
  "%2e%2e",
  "%2E%2E",
  "%2e",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%2f..%2f..%2f..%2fproc%2fself%2fenviron",
  "a%2F..%2Fb",
  "%252e%252e%252fetc%252fpasswd",
  "..%5C..%5Cwindows%5Cwin.ini",
  "%c0%ae%c0%ae%c0%af",
  "..;",
  "%00",
  "a%00b",
  "iris_classifier%00",
  "iris_classifier%00.onnx",
  "%2Fetc%2Fpasswd",
  "~",
  "*",
  "%",
  "%zz",
  "%ff%fe",
  "%e2%82",
  "lexicon%2F..%2Flexicon",
  "models.yaml",
  "cache",
  "sales_forecast.json",
  "iris_classifier.onnx",
  "sentiment-bert%2Fconfig.json",
  "linear-external%2Fmodel.onnx.data",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "CON",
  "%20",
  "%E2%80%AE",
  "%F0%9F%98%80",
  "file%3A%2F%2F%2Fetc%2Fpasswd",
  "http%3A%2F%2F127.0.0.1%3A1%2F",
];

/** Tricks that change the path's shape: the client or server normalises them away. */
export const STRUCTURAL_TRICKS: readonly string[] = ["../../etc/passwd", "a/../b", "../..", "./iris_classifier", "x/y", ""];

/**
 * A tricky segment: from the lists, or a very long name (10 000 characters by default).
 *
 * @example
 * pathTrick(rng); // "..%2F..%2Fetc%2Fpasswd"
 */
export function pathTrick(rng: Rng): string {
  const roll = rng.int(0, 9);
  // Up to 10 000 characters: far longer request lines get Bun's own bare 431 before the app.
  if (roll === 0) return rng.chance(0.7) ? "x".repeat(rng.pick([129, 1000, 10_000])) : rng.pick(["%41", "é"]).repeat(rng.pick([129, 1000]));
  if (roll === 1) return rng.pick(STRUCTURAL_TRICKS);
  return rng.pick(PATH_TRICKS);
}
