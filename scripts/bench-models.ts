/**
 * Writes the models `bun run bench` serves (not committed; see scripts/bench/models/):
 *
 *   bun scripts/bench-models.ts [--out DIR] [--seed N] [--force]     (default: bench-models/)
 *
 * A DistilBERT-base-sized text classifier with seeded weights (fp32, 268 MB, and an int8
 * variant), plus copies of the demo iris and sentiment models. Folders already built from the
 * same seed are kept unless --force.
 */
import { join, resolve } from "node:path";
import { cliOptions } from "./lib/cli-options.ts";
import { writeBenchModels } from "./bench/models/bench-model-folders.ts";

const REPO = join(import.meta.dir, "..");
const USAGE = "usage: bun scripts/bench-models.ts [--out DIR] [--seed N] [--force]";

const options = cliOptions(USAGE, { out: { type: "string" }, seed: { type: "string" }, force: { type: "boolean" } });
const seed = Number(options.seed ?? "42");
if (!Number.isSafeInteger(seed) || seed < 0) {
  console.error(`--seed must be a non-negative integer\n${USAGE}`);
  process.exit(2);
}
const outDir = options.out === undefined ? join(REPO, "bench-models") : resolve(options.out);
for (const line of writeBenchModels(outDir, join(REPO, "models"), seed, options.force === true)) console.log(line);
