/**
 * The gate for tests that read ../shared (real third-party models, Prophet exports, labelled
 * sentences, the Open Inference Protocol spec). A fresh clone has no ../shared: those tests skip
 * with one summary line; `MODEL_CACHE_REQUIRE_FIXTURES=1` (set in CI) makes them fail instead.
 */
import { existsSync } from "node:fs";
import { OIP_SPEC, SHARED_FIXTURES } from "./paths.ts";
import { Requirement } from "./requirement.ts";

function missingReason(): string | undefined {
  const absent = [SHARED_FIXTURES, OIP_SPEC].filter((path) => !existsSync(path));
  if (absent.length === 0) return undefined;
  return `not found: ${absent.join(", ")}; set SHARED_DIR or SHARED_FIXTURES_DIR`;
}

/**
 * Tests that need ../shared/fixtures (and ../shared/specs).
 *
 * @example
 * const { describe, test } = sharedFixtures;
 * describe("real exports", () => { test("…", async () => { … }); });
 */
export const sharedFixtures = new Requirement({
  name: "../shared/fixtures",
  missing: missingReason(),
  variable: "MODEL_CACHE_REQUIRE_FIXTURES",
});
