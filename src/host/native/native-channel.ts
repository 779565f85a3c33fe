/**
 * Starts the native model host as a child process (through the runtime layer: Bun spawns it
 * with an IPC channel; Deno has none, and runs models on WASM). A segmentation fault or an abort
 * in onnxruntime-node ends that process only: the handle reports the exit, and the host pool
 * restarts it and reloads its models, as it does for a dead worker.
 */
import { fileURLToPath } from "node:url";
import { runtime } from "#runtime";
import type { WorkerHandle } from "../../runtime/runtime-api.ts";

/** The child's entry file, beside this one. */
export const NATIVE_HOST_ENTRY = fileURLToPath(new URL("./native-host-child.ts", import.meta.url));

/** The argument that hands a host started early what it should load at once (see native-prestart). */
export const EARLY_START_ARG = "--early-start=";

/** Starts a native host process (`entry`, with `args`); throws where the runtime cannot start one. */
export function nativeChannel(entry: string = NATIVE_HOST_ENTRY, args: string[] = []): WorkerHandle {
  if (runtime.startProcess === undefined) throw new Error(`${runtime.name} cannot start a native model host`);
  return runtime.startProcess(entry, args);
}
