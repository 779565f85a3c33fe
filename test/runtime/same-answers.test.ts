/**
 * The service answers the same on Bun and on Deno: both are started over the demo models (Deno
 * with the narrow permissions of npm run start:deno) and the fixed requests of
 * scripts/runtimes/fixed-requests.ts must get byte-identical answers, timings aside. It starts
 * both runtimes, so it runs once, in the Bun suite.
 */
import { describe, expect, test } from "bun:test";
import { runtime } from "#runtime";
import { compareRuntimes } from "../../scripts/runtimes/same-answers.ts";
import { FIXED_REQUESTS } from "../../scripts/runtimes/fixed-requests.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";

if (runtime.name !== "bun") console.warn("same-answers test skipped: it starts both runtimes itself and runs in npm test");

describe.skipIf(runtime.name !== "bun")("Bun and Deno", () => {
  test("answer every fixed request alike, and both exit 0 on SIGTERM", async () => {
    const result = await compareRuntimes({ modelsDir: DEMO_MODELS });
    expect(result.requests).toBe(FIXED_REQUESTS.length);
    expect(result.differences).toEqual([]);
    expect(result.exitCodes).toEqual({ bun: 0, deno: 0 });
  }, 240_000);
});
