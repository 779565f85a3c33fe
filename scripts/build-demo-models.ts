/**
 * Regenerates the committed demo models, byte for byte:
 *
 *   bun scripts/build-demo-models.ts [--out DIR]      (default: the repository's models/)
 *
 * Writes only below DIR, only the files listed (never models/cache or models/models.yaml), and
 * prints one line per file: size in bytes, sha256, path.
 */
import { join, resolve } from "node:path";
import { buildDemoModels } from "./demo-models/index.ts";
import { writeGeneratedFiles } from "./demo-models/write-files.ts";

const USAGE = "usage: bun scripts/build-demo-models.ts [--out DIR]";

function parseOutDir(args: string[]): string {
  let out = join(import.meta.dir, "..", "models");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--out" && args[i + 1]) out = resolve(args[++i] as string);
    else if (arg?.startsWith("--out=")) out = resolve(arg.slice("--out=".length));
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument: ${arg}\n${USAGE}`);
      process.exit(2);
    }
  }
  return out;
}

const outDir = parseOutDir(process.argv.slice(2));
const { files, notes } = buildDemoModels();
const written = writeGeneratedFiles(outDir, files);
const width = Math.max(...written.map((w) => String(w.size).length));
for (const w of written) console.log(`${String(w.size).padStart(width)}  ${w.sha256}  ${w.path}`);
console.log(`${written.length} files in ${outDir}`);
for (const note of notes) console.log(note);
