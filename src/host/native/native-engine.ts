/**
 * The native engine of the child-process host: onnxruntime-node (installed as
 * `onnxruntime-node-native`: the name `onnxruntime-node` is a stand-in, so that transformers.js's
 * own top-level require never loads native code in a WASM worker or under Deno), with
 * transformers.js on it, handed this runtime as the WASM hosts hand it onnxruntime-web.
 * A crash in its native code ends only the child process (see ./native-channel.ts).
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { LoadPayload, RuntimeOptions } from "../host-protocol.ts";
import type { OrtEngine, OrtModule } from "../worker/ort-engine.ts";
import { configureTransformers } from "../worker/transformers-runtime.ts";
import { RuntimeUnavailableError } from "../worker/worker-errors.ts";
import { PROBE_MODEL } from "../worker/probe-model.ts";
import { runtime } from "#runtime";

/** How long the host must be idle after a run before its memory is given back. */
const IDLE_TRIM_MS = 500;

let ready: Promise<OrtModule> | undefined;
let transformers: Promise<typeof import("@huggingface/transformers")> | undefined;
let idleTrim: ReturnType<typeof setTimeout> | undefined;

/** A full collection (tensors of past runs are garbage), then the C heap's free pages back. */
function releaseMemory(): void {
  runtime.gc();
  runtime.trimNativeHeap();
}

/**
 * Memory goes back to the system after loads and unloads, and once the host has been idle for a
 * moment after runs. glibc keeps the C heap's freed pages (measured: 72 MB after loading a 268 MB
 * model); sessions run without onnxruntime's memory arena, which never shrinks (measured no
 * slower, and the pages of a burst of batches come back).
 */
function settle(after: "load" | "unload" | "run", loaded?: LoadPayload): void {
  clearTimeout(idleTrim);
  if (after === "load") mapModelFiles = false;
  if (after === "run") {
    idleTrim = setTimeout(releaseMemory, IDLE_TRIM_MS);
    idleTrim.unref?.();
    return;
  }
  releaseMemory();
  if (loaded?.kind === "transformer") void collectStrayRead(join(loaded.modelsDir, loaded.folder, "onnx"));
}

/** Files this small are read before anyone notices; a large one's copy is worth collecting. */
const STRAY_READ_WORTH_COLLECTING = 32 * 2 ** 20;

/**
 * transformers.js 4.3 opens a read stream on the model file that nobody consumes (its
 * FileResponse starts streaming when it is made, even when only the path is used): the whole
 * file piles up in JavaScript memory in the second or so after the load, then is garbage, freed
 * whenever the collector next runs a full cycle (268 MB for the benchmark model, often minutes
 * later on an idle heap). For a large model, collect once the read must be over, and once more.
 */
async function collectStrayRead(weightsFolder: string): Promise<void> {
  const files = await readdir(weightsFolder).catch(() => []);
  const sizes = await Promise.all(files.map((file) => stat(join(weightsFolder, file)).then((info) => info.size, () => 0)));
  const largest = Math.max(0, ...sizes);
  if (largest < STRAY_READ_WORTH_COLLECTING) return;
  // Reading runs at 1–2 GB/s from the page cache: collect when it should be over, then twice
  // more in case the disk was slower.
  for (const pause of [250 + largest / 500_000, 1000, 2000]) {
    await runtime.sleep(pause);
    releaseMemory();
  }
}

/** transformers.js once per process, on onnxruntime-node (placed where it looks before its import). */
function loadTransformers(options: RuntimeOptions): Promise<typeof import("@huggingface/transformers")> {
  transformers ??= (async () => {
    (globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = sessionsFromMappedFiles(await import("onnxruntime-node-native"));
    return configureTransformers(await import("@huggingface/transformers"), options);
  })();
  return transformers;
}

/**
 * Whether transformers' sessions are created from mapped model files: until the host's first
 * load is answered (see {@link sessionsFromMappedFiles}).
 */
let mapModelFiles = true;

/**
 * onnxruntime-node as transformers.js is handed it: while the host starts, a session it creates
 * from a file path is created from the file's mapped pages instead. Given a path, onnxruntime
 * reads the whole file into a buffer of its own before parsing it: for the 268 MB benchmark
 * model that read and its page faults took ~130 ms of the ~1.05 s a session takes to create
 * (mean of 6 alternated runs, 920 against 1,053 ms), on the way to the service being ready.
 * The mapping lasts until the load's collection (`settle`), where onnxruntime frees its buffer
 * as soon as it has parsed it: beside a model still serving, during a reload, it would add the
 * file's size to the peak (measured: 1,087 against 870 MiB). So only the loads before the
 * host's first answered one map their files; resident memory once settled is the same.
 */
function sessionsFromMappedFiles(ort: OrtModule): OrtModule {
  const sessions = ort.InferenceSession;
  const create = (async (source: unknown, ...rest: unknown[]) => {
    const mapped = typeof source === "string" && mapModelFiles ? await runtime.mapFile(source).catch(() => undefined) : undefined;
    // A file that cannot be mapped (gone, empty) goes to onnxruntime as a path: its error names the file.
    return (sessions.create as (...args: unknown[]) => Promise<unknown>)(mapped ?? source, ...rest);
  }) as typeof sessions.create;
  return { ...ort, InferenceSession: Object.assign(Object.create(sessions) as typeof sessions, { create }) };
}

/**
 * Imports onnxruntime-node before the host's first message: a host started early
 * (./native-prestart.ts) has it by the time its first model arrives. A failure is met again, and
 * reported, by the first message that needs the runtime.
 */
export function preloadNativeRuntime(): void {
  void startOnce().catch(() => undefined);
}

async function start(): Promise<OrtModule> {
  try {
    const ort = (await import("onnxruntime-node-native")) as OrtModule;
    ort.env.logLevel = "error";
    const probe = await ort.InferenceSession.create(PROBE_MODEL);
    await probe.release();
    return ort;
  } catch (error) {
    throw new RuntimeUnavailableError(`The native runtime (onnxruntime-node) could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function startOnce(): Promise<OrtModule> {
  ready ??= start();
  return ready;
}

/** onnxruntime-node in this process. */
export const nativeEngine: OrtEngine = {
  kind: "native",
  // With a runtime handed to it, transformers.js lists no devices of its own: "auto" lets the
  // session take onnxruntime-node's default, the CPU.
  device: "auto",
  start: () => startOnce(),
  transformers: (_ort, options: RuntimeOptions) => loadTransformers(options),
  warm: (options: RuntimeOptions) => loadTransformers(options).then(() => undefined, () => undefined),
  // One session runs at a time (the host's queue): it may use every thread it is given.
  // Errors come back as exceptions with the same text: onnxruntime-node need not print them.
  sessionOptions: (options: RuntimeOptions) => ({
    intraOpNumThreads: options.numThreads,
    interOpNumThreads: 1,
    logSeverityLevel: 4,
    enableCpuMemArena: false,
  }),
  memoryBytes: () => 0,
  // Measured with onnxruntime-node 1.30 under Bun 1.4: any float16 input fails every run ("not
  // enough space: expected 4, got 0"), from a Uint16Array or a Float16Array alike.
  refusedInputTypes: new Map([["float16", "onnxruntime-node cannot take float16 inputs under Bun"]]),
  settle,
};
