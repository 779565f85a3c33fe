/**
 * Starts the native host process before the service itself has loaded. Importing the service
 * takes a quarter of a second or more, and discovery a little longer; meanwhile the native host
 * imports onnxruntime-node and starts building the pipelines of the text classifiers it will be
 * given (see ../worker/early-loads.ts), so the first large model is ready that much sooner.
 *
 * The entry point (src/main.ts) calls {@link prestartNativeHost} as soon as the configuration is
 * read. The service makes the same choice from its own discovery and either adopts the process
 * ({@link takePrestartedNativeHost}) or ends it ({@link discardPrestartedNativeHost}).
 */
import type { Config } from "../../config/config.ts";
import type { ModelSpec } from "../../cache/model-types.ts";
import { discoverModels } from "../../discovery/discover-models.ts";
import { readManifest } from "../../discovery/manifest.ts";
import type { WorkerHandle } from "../../runtime/runtime-api.ts";
import { transformerLocation, type EarlyStart } from "../host-protocol.ts";
import { EARLY_START_ARG, nativeChannel } from "./native-channel.ts";
import { nativeUnsupportedReason } from "./native-support.ts";

type StartSpec = Pick<ModelSpec, "preload" | "problem" | "modelType" | "sizeBytes">;

/** The models placed on the native host when the service starts: ONNX graphs and transformers of `minBytes` or more. */
export function nativeModelsAtStart<T extends StartSpec>(specs: readonly T[], minBytes: number): T[] {
  return specs.filter(
    (spec) =>
      spec.preload &&
      spec.problem === undefined &&
      (spec.modelType === "onnx" || spec.modelType === "transformer") &&
      (spec.sizeBytes ?? Number.POSITIVE_INFINITY) >= minBytes,
  );
}

interface Prestarted {
  handle: WorkerHandle;
  exited: boolean;
}

let prestarted: Prestarted | undefined;

/** The smallest model the native host takes: `NATIVE_MIN_MB` under `ONNX_BACKEND=auto`, any under `native`. */
export function nativeMinBytes(config: Pick<Config, "onnxBackend" | "nativeMinMb">): number {
  return config.onnxBackend === "auto" ? config.nativeMinMb * 2 ** 20 : 0;
}

/** What the host is told to load at once: the transformers, unless placement or a memory budget decides what loads. */
async function earlyStart(config: Config): Promise<EarlyStart | undefined> {
  const manifest = await readManifest(config.modelsDir);
  const { specs } = await discoverModels({ ...config, manifest });
  const native = nativeModelsAtStart(specs, nativeMinBytes(config));
  if (native.length === 0) return undefined;
  const decidedLater = config.cluster !== undefined || config.memoryBudgetMb !== undefined;
  return {
    runtime: { numThreads: config.nativeThreads, cacheDir: config.cacheDir, allowRemoteModels: config.allowRemoteModels },
    loads: decidedLater
      ? []
      : native
          .filter((spec) => spec.modelType === "transformer" && spec.path !== undefined)
          .map((spec) => transformerLocation(spec.path!, spec.dtype)),
  };
}

/**
 * Starts the native host now when the configuration allows one and a model will need it. Never
 * throws: whatever goes wrong here (a manifest the service will refuse, say), the service meets
 * it again and starts its host the usual way.
 */
export async function prestartNativeHost(config: Config): Promise<void> {
  try {
    if (config.onnxBackend === "wasm" || nativeUnsupportedReason() !== undefined) return;
    const early = await earlyStart(config);
    if (early === undefined) return;
    const handle = nativeChannel(undefined, [`${EARLY_START_ARG}${JSON.stringify(early)}`]);
    const started: Prestarted = { handle, exited: false };
    handle.onexit = () => {
      started.exited = true;
    };
    prestarted = started;
  } catch {
    prestarted = undefined;
  }
}

/** The prestarted host process, handed over once and only while it still runs. */
export function takePrestartedNativeHost(): WorkerHandle | undefined {
  const taken = prestarted;
  prestarted = undefined;
  if (taken === undefined || taken.exited) return undefined;
  taken.handle.onexit = null;
  return taken.handle;
}

/** Ends the prestarted process when the service will not use it. */
export function discardPrestartedNativeHost(): void {
  takePrestartedNativeHost()?.terminate();
}
