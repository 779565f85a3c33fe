// Stand-in for the name onnxruntime-node, which transformers.js requires at top level wherever it
// is imported: in WASM worker hosts (and under Deno) that require must not load native code.
// Native execution uses the real package, installed as onnxruntime-node-native, and hands it to
// transformers.js through globalThis[Symbol.for("onnxruntime")] (src/host/native/native-engine.ts).
"use strict";
module.exports = {};
