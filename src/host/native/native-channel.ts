/**
 * Starts the native model host as a child process (through the runtime layer: Bun spawns it
 * with an IPC channel; Deno has none, and runs models on WASM). A segmentation fault or an abort
 * in onnxruntime-node ends that process only: the handle reports the exit, and the host pool
 * restarts it and reloads its models, as it does for a dead worker.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runtime } from "#runtime";
import type { WorkerHandle } from "../../runtime/runtime-api.ts";

/** The child's entry file, beside this one. */
export const NATIVE_HOST_ENTRY = fileURLToPath(new URL("./native-host-child.ts", import.meta.url));

/** The argument that hands a host started early what it should load at once (see native-prestart). */
export const EARLY_START_ARG = "--early-start=";

/** Starts a native host process (`entry`, with `args` and `env`); throws where the runtime cannot start one. */
export function nativeChannel(entry: string = NATIVE_HOST_ENTRY, args: string[] = [], env: Record<string, string> = {}): WorkerHandle {
  if (runtime.startProcess === undefined) throw new Error(`${runtime.name} cannot start a native model host`);
  return runtime.startProcess(entry, args, env);
}

/** Where, under the configured cache folder, the native host keeps Bun's transpiler cache. */
export const TRANSPILER_CACHE_FOLDER = "bun-transpiler";

/**
 * The native host's environment: Bun's transpiler cache in the configured cache folder
 * (`MODEL_CACHE_DIR/bun-transpiler`, a few MB), unless a folder was chosen for it. The host
 * imports transformers.js at every start, and its model is ready only after: from the cache the
 * host's imports were done ~50 ms sooner. `npm start` keeps the service's own cache off, which
 * would be written in the home folder; the host writes only in the configured one.
 */
export function nativeHostEnv(cacheDir: string): Record<string, string> {
  const chosen = process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH;
  if (chosen !== undefined && chosen !== "" && chosen !== "0") return {};
  return { BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(cacheDir, TRANSPILER_CACHE_FOLDER) };
}
