/**
 * Stand-in for `sharp` inside the single executable (see ./stub-plugin.ts).
 *
 * transformers.js imports sharp at top level for its image pipelines, which model-cache never
 * runs. The real package loads a native libvips addon from node_modules at run time; inside the
 * executable there is no node_modules, the import throws, and transformers.js fails to load, so
 * sentiment silently falls back to the lexicon. The stand-in must be truthy: transformers.js
 * refuses to start when it finds no image library at all. Calling it explains itself.
 */
export default function sharp(): never {
  throw new Error("Image processing (sharp) is not part of the model-cache executable");
}
