/**
 * Starts the native host process before the service itself has loaded. Importing the service
 * takes a quarter of a second or more, and discovery a little longer; meanwhile the native host
 * imports onnxruntime-node and starts building the pipelines of the text classifiers it will be
 * given (see ../worker/early-loads.ts), so the first large model is ready that much sooner.
 *
 * The entry point (src/main.ts) calls {@link prestartNativeHost} as soon as the configuration is
 * read, and imports the service once the host has its runtime and transformers.js imported (the
 * host's `warm` signal; at most {@link WARM_WAIT_MS}). The two imports at once, on two cores,
 * made the host's ~150 ms slower, and it is the host's that decides when the model is ready:
 * the service's import then runs beside the session's creation, which it hardly slows.
 * The service makes the same choice from its own discovery and either adopts the process
 * ({@link takePrestartedNativeHost}) or ends it ({@link discardPrestartedNativeHost}).
 */
import type { Config } from "../../config/config.ts";
import type { ModelSpec } from "../../cache/model-types.ts";
import { discoverModels } from "../../discovery/discover-models.ts";
import { readManifest } from "../../discovery/manifest.ts";
import type { WorkerHandle } from "../../runtime/runtime-api.ts";
import { transformerLocation, type EarlyStart, type HostMessage } from "../host-protocol.ts";
import { EARLY_START_ARG, nativeChannel, nativeHostEnv } from "./native-channel.ts";
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

/** The longest the service waits for the host's imports (they take 100–300 ms). */
export const WARM_WAIT_MS = 1000;

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
 * Starts the native host now when the configuration allows one and a model will need it, and,
 * when the host loads models at once, waits until it has imported what they need (or exited, or
 * {@link WARM_WAIT_MS} passed). Never throws: whatever goes wrong here (a manifest the service
 * will refuse, say), the service meets it again and starts its host the usual way.
 */
export async function prestartNativeHost(config: Config): Promise<void> {
  let warm: Promise<void> | undefined;
  try {
    if (config.onnxBackend === "wasm" || nativeUnsupportedReason() !== undefined) return;
    const early = await earlyStart(config);
    if (early === undefined) return;
    const handle = nativeChannel(undefined, [`${EARLY_START_ARG}${JSON.stringify(early)}`], nativeHostEnv(config.cacheDir));
    const started: Prestarted = { handle, exited: false };
    prestarted = started;
    warm = untilWarm(handle, early.loads.length > 0 ? WARM_WAIT_MS : 0, () => {
      started.exited = true;
    });
  } catch {
    prestarted = undefined;
  }
  await warm;
}

/**
 * Settles when the host at `handle` says it is warm, exits (`onExit` is told), or `waitMs` has
 * passed, whichever comes first. It listens on the handle until the host is taken over.
 */
export function untilWarm(handle: WorkerHandle, waitMs: number, onExit: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    handle.onmessage = (event) => {
      const message = event.data as HostMessage;
      if ("signal" in message && message.signal === "warm") done();
    };
    handle.onexit = () => {
      onExit();
      done();
    };
  });
}

/** The prestarted host process, handed over once and only while it still runs. */
export function takePrestartedNativeHost(): WorkerHandle | undefined {
  const taken = prestarted;
  prestarted = undefined;
  if (taken === undefined || taken.exited) return undefined;
  taken.handle.onexit = null;
  taken.handle.onmessage = null;
  return taken.handle;
}

/** Ends the prestarted process when the service will not use it. */
export function discardPrestartedNativeHost(): void {
  takePrestartedNativeHost()?.terminate();
}
