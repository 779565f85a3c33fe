// Files imported with `with { type: "file" }` (src/runtime/bun.ts) resolve to a path (a
// /$bunfs/ path inside a single executable built with `bun build --compile`).
declare module "onnxruntime-web/ort-wasm-simd-threaded.wasm" {
  const path: string;
  export default path;
}
declare module "onnxruntime-web/ort-wasm-simd-threaded.mjs" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui-standalone-preset.js" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/*.png" {
  const path: string;
  export default path;
}
declare module "*.yaml" {
  const path: string;
  export default path;
}
