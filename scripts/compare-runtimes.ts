/**
 * Proves that Bun and Deno give the same answers (`npm run compare:runtimes`): starts the service
 * on both over the demo models and compares the answers to a fixed set of requests byte for byte,
 * timings aside (scripts/runtimes/same-answers.ts). Exits 1 on any difference.
 *
 *   bun scripts/compare-runtimes.ts [--models-dir DIR]
 */
import { join, resolve } from "node:path";
import { cliOptions } from "./lib/cli-options.ts";
import { compareRuntimes } from "./runtimes/same-answers.ts";

const USAGE = "usage: bun scripts/compare-runtimes.ts [--models-dir DIR]";
const options = cliOptions(USAGE, { "models-dir": { type: "string" } });
const modelsDir = resolve(options["models-dir"] ?? join(import.meta.dirname, "../models"));

const result = await compareRuntimes({ modelsDir, log: (line) => console.log(line) });
for (const difference of result.differences) {
  console.log(`\n${difference.request}:\n  bun:  ${JSON.stringify(difference.bun).slice(0, 600)}\n  deno: ${JSON.stringify(difference.deno).slice(0, 600)}`);
}
console.log(`\n${result.requests - result.differences.length} of ${result.requests} requests answered the same; exit codes after SIGTERM: bun ${result.exitCodes.bun}, deno ${result.exitCodes.deno}`);
process.exit(result.differences.length === 0 && result.exitCodes.bun === 0 && result.exitCodes.deno === 0 ? 0 : 1);
