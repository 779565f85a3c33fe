/**
 * Builds model-cache as one executable for this machine's platform (`bun run build`):
 *
 *   bun scripts/build-binary.ts [--outfile PATH]      (default: dist/model-cache)
 *
 * The executable embeds the service, the model-host worker, onnxruntime-web's WASM runtime,
 * the wink-nlp model and the Swagger UI assets; models stay outside (`MODELS_DIR`). It runs from
 * any folder with no node_modules. Prints the size and the build time. The same sources and
 * output file name give a byte-identical executable.
 */
import { cliOptions } from "./lib/cli-options.ts";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { stubPlugin } from "./build/stub-plugin.ts";

const REPO = join(import.meta.dir, "..");
const USAGE = "usage: bun scripts/build-binary.ts [--outfile PATH]";

const options = cliOptions(USAGE, { outfile: { type: "string" } });
const outfile = options.outfile === undefined ? join(REPO, "dist", "model-cache") : resolve(options.outfile);
mkdirSync(dirname(outfile), { recursive: true });
const stubs = stubPlugin();
const started = performance.now();
const result = await Bun.build({
  // Workers must be entry points of their own and sit in the main entry's folder, where
  // src/main.ts resolves them (`new URL("./model-host.worker.ts", import.meta.url)`).
  entrypoints: [join(REPO, "src/main.ts"), join(REPO, "src/model-host.worker.ts")],
  root: join(REPO, "src"),
  compile: {
    outfile,
    // A bunfig.toml in the folder the service is started from must not change how it runs
    // (preload scripts, for one). .env files still load, as under `bun src/main.ts`.
    autoloadBunfig: false,
  },
  plugins: [stubs],
  // Bytecode halves the time to listen (about 40 ms instead of 90) and takes ~150 ms off
  // loading the models, for ~11 MiB more executable and ~2 s more build.
  bytecode: true,
  format: "esm",
  // keepNames: errors name their class (`this.name = new.target.name`) in logs and replies.
  minify: { whitespace: true, syntax: true, identifiers: true, keepNames: true },
  // Embedded in the executable (zstd): stack traces point at src/ lines.
  sourcemap: "linked",
  throw: false,
});
const seconds = (performance.now() - started) / 1000;

if (!result.success) {
  for (const log of result.logs) console.error(log);
  console.error(`build failed after ${seconds.toFixed(1)} s`);
  process.exit(1);
}
if (stubs.patched.length === 0) {
  rmSync(outfile, { force: true });
  console.error(
    "build refused: @huggingface/transformers was bundled from a file scripts/build/stub-plugin.ts " +
      "does not patch; the executable would answer sentiment from the lexicon only",
  );
  process.exit(1);
}
// Bun also writes the source maps beside the executable; it carries its own copy.
for (const output of result.outputs) {
  if (output.kind === "sourcemap") rmSync(output.path, { force: true });
}
const size = statSync(outfile).size;
console.log(
  `${relative(process.cwd(), outfile) || outfile}: ${(size / 1024 / 1024).toFixed(1)} MiB ` +
    `(${process.platform}-${process.arch}, Bun ${Bun.version}) in ${seconds.toFixed(1)} s`,
);
