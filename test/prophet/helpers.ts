/** Shared loading helpers for the Prophet tests. */
import { join } from "node:path";
import { loadProphetForecaster, type ProphetForecaster } from "../../src/prophet/index.ts";
import { readFile } from "node:fs/promises";
import { SHARED_FIXTURES } from "../helpers/paths.ts";

/** The real exports copied from facebook/prophet and databricks/automl (read-only). */
export const SHARED_PROPHET = join(SHARED_FIXTURES, "prophet");
/** Hand-written exports with hand-worked expectations (see their README.md). */
export const HAND_FIXTURES = join(import.meta.dirname, "../fixtures/prophet");

/** Reads a file as text. */
export function readText(path: string): Promise<string> {
  return readFile(path, "utf8");
}

/** Loads a hand-written export. */
export async function loadHand(name: string): Promise<ProphetForecaster> {
  return loadProphetForecaster(await readText(join(HAND_FIXTURES, name)));
}

/** Reads a hand-written export as a mutable object, for tests that break it on purpose. */
export async function handObject(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readText(join(HAND_FIXTURES, name))) as Record<string, unknown>;
}

/** Loads a real export. */
export async function loadShared(name: string): Promise<ProphetForecaster> {
  return loadProphetForecaster(await readText(join(SHARED_PROPHET, name)));
}

/** Fails unless |actual - expected| <= tolerance, naming both numbers. */
export function expectNear(actual: unknown, expected: number, tolerance = 1e-9): void {
  const diff = typeof actual === "number" ? Math.abs(actual - expected) : NaN;
  if (!(diff <= tolerance)) {
    throw new Error(`expected ${String(actual)} within ${tolerance} of ${expected} (off by ${diff})`);
  }
}
