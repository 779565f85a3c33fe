/**
 * Regenerates the committed demo models, byte for byte:
 *
 *   bun scripts/build-demo-models.ts [--out DIR]      (default: the repository's models/)
 *
 * Writes only below DIR, only the files listed (never models/cache or models/models.yaml), and
 * prints one line per file: size in bytes, sha256, path.
 */
import { cliOptions } from "./lib/cli-options.ts";
import { join, resolve } from "node:path";
import { buildDemoModels } from "./demo-models/index.ts";
import { writeGeneratedFiles } from "./demo-models/write-files.ts";

const USAGE = "usage: bun scripts/build-demo-models.ts [--out DIR]";

const options = cliOptions(USAGE, { out: { type: "string" } });
const outDir = options.out === undefined ? join(import.meta.dirname, "..", "models") : resolve(options.out);
const { files, notes } = buildDemoModels();
const written = writeGeneratedFiles(outDir, files);
const width = Math.max(...written.map((w) => String(w.size).length));
for (const w of written) console.log(`${String(w.size).padStart(width)}  ${w.sha256}  ${w.path}`);
console.log(`${written.length} files in ${outDir}`);
for (const note of notes) console.log(note);
