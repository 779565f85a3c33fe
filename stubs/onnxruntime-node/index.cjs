// model-cache never uses native onnxruntime-node: @huggingface/transformers is handed
// onnxruntime-web through globalThis[Symbol.for("onnxruntime")] before it is imported.
// This module only satisfies transformers.js's top-level require("onnxruntime-node").
"use strict";
module.exports = {};
