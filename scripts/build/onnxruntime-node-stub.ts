/**
 * Stand-in for `onnxruntime-node` inside the single executable (see ./stub-plugin.ts).
 *
 * transformers.js loads native onnxruntime-node with `createRequire(import.meta.url)(...)` at
 * top level. Inside the executable that call finds no node_modules and throws, so the whole
 * library fails to load. model-cache never uses it: each model host hands transformers.js its
 * onnxruntime-web through `globalThis[Symbol.for("onnxruntime")]` before importing it
 * (src/host/worker/transformers-runtime.ts), so this empty module is never read.
 */
export default {};
