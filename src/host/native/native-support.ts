/** Whether native onnxruntime-node can run here at all, and if not, why. */
import { createRequire } from "node:module";
import { runtime } from "#runtime";
import { NATIVE_HOST_ENTRY } from "./native-channel.ts";

/**
 * Undefined when a native host may be started; otherwise the reason it cannot: the runtime
 * cannot start one (Deno), the single executable carries only the WASM runtime (onnxruntime-node's shared libraries cannot be loaded
 * from inside it), and onnxruntime-node may not be installed.
 */
export function nativeUnsupportedReason(): string | undefined {
  if (runtime.startProcess === undefined) return `${runtime.name} runs no native model host`;
  if (NATIVE_HOST_ENTRY.startsWith("/$bunfs/") || NATIVE_HOST_ENTRY.includes("~BUN")) {
    return "the single executable carries only the WASM runtime";
  }
  try {
    createRequire(import.meta.url).resolve("onnxruntime-node");
  } catch {
    return "onnxruntime-node is not installed";
  }
  return undefined;
}
