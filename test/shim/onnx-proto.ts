/**
 * `onnx-proto` for Deno (mapped in deno.json): the package assigns `module.exports` at run time,
 * so Deno's static analysis of CommonJS finds no named export `onnx` and
 * `import { onnx } from "onnx-proto"` fails there; `require` reads it as Bun does.
 */
import { createRequire } from "node:module";

/** The generated ONNX protobuf classes (`onnx.ModelProto`, …). */
export const onnx = (createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto")).onnx;
