import type { BunPlugin } from "bun";
import { join } from "node:path";

/** transformers.js's Node build; the only file that needs patching. */
const TRANSFORMERS_NODE_BUILD = /[\\/]@huggingface[\\/]transformers[\\/]dist[\\/]transformers\.node\.mjs$/;

/**
 * The run-time require of native onnxruntime-node. The bundler cannot see through
 * `createRequire`, so the call would run inside the executable and throw.
 */
const ORT_NODE_REQUIRE = /\brequireFromHere\(\s*["']onnxruntime-node["']\s*\)/g;

/**
 * A `Bun.build` plugin for the single executable (the `bun build` CLI takes no plugins):
 * - `onnxruntime-node` resolves to the stand-in in this folder, so no native addon is looked up
 *   at run time (`sharp` needs no rule: the installed package is already a stand-in,
 *   stubs/sharp);
 * - transformers.js's `createRequire(...)("onnxruntime-node")` becomes a static import, which
 *   the first rule then sends to the stand-in.
 *
 * The build fails if transformers.js no longer contains that call exactly once, and `patched`
 * lists the files rewritten so the caller can refuse a build that never met transformers.js:
 * an upgrade must not quietly produce an executable whose sentiment comes from the lexicon.
 *
 * @example
 * const stubs = stubPlugin();
 * await Bun.build({ entrypoints: ["src/main.ts"], compile: { outfile: "dist/app" }, plugins: [stubs] });
 * if (stubs.patched.length === 0) throw new Error("transformers.js was not patched");
 */
export function stubPlugin(): BunPlugin & { readonly patched: string[] } {
  const patched: string[] = [];
  const ortNodeStub = join(import.meta.dir, "onnxruntime-node-stub.ts");
  return {
    name: "model-cache-native-stubs",
    patched,
    setup(build) {
      build.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: ortNodeStub }));
      build.onLoad({ filter: TRANSFORMERS_NODE_BUILD }, async (args) => {
        const source = await Bun.file(args.path).text();
        const calls = source.match(ORT_NODE_REQUIRE)?.length ?? 0;
        if (calls !== 1) {
          throw new Error(
            `${args.path}: expected one requireFromHere("onnxruntime-node") call, found ${calls}; ` +
              "update scripts/build/stub-plugin.ts for this transformers.js version",
          );
        }
        const contents =
          source.replace(ORT_NODE_REQUIRE, "__onnxruntimeNodeStub") +
          '\nimport __onnxruntimeNodeStub from "onnxruntime-node";\n';
        patched.push(args.path);
        return { contents, loader: "js" };
      });
    },
  };
}
