/**
 * The model host: the loop that runs inside a worker thread (or, for the native engine, a child
 * process), holds the models and answers the HTTP thread's requests. Nothing here blocks the
 * HTTP thread, however long a session takes to create or run.
 */
import {
  HEARTBEAT_MS,
  type EarlyStart,
  type HostErrorInfo,
  type HostMessage,
  type HostRequest,
  type HostStats,
  type LoadPayload,
  type OnnxLoadPayload,
  type ProphetLoadPayload,
  type RuntimeOptions,
  type TransformerLoadPayload,
} from "../host-protocol.ts";
import { runtime as jsRuntime } from "#runtime";
import type { OrtEngine } from "./ort-engine.ts";
import { SerialQueue } from "../../util/serial-queue.ts";
import type { WorkerModel } from "./worker-model.ts";
import { RuntimeUnavailableError, UnknownInstanceError } from "./worker-errors.ts";
import { measuredLoad } from "./measure-load.ts";
import { EarlyLoads } from "./early-loads.ts";
import { AppError } from "../../errors/app-error.ts";

/**
 * Marks of a fault in the WASM runtime itself (an Emscripten abort, a WebAssembly trap), after
 * which it may be unusable for every model. onnxruntime's own status errors ("[ONNXRuntimeError]
 * : 1 : FAIL …", std::bad_alloc) are not: the runtime reports them and carries on.
 */
const FATAL_PATTERN = /\bAborted\(|RuntimeError: (?:unreachable|memory access out of bounds|call stack exhausted)/;

/** The worker's global scope (or a child process's IPC channel), as the host loop uses it. */
export interface HostPort {
  postMessage(message: HostMessage): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  addEventListener(type: "error" | "unhandledrejection", listener: (event: Event) => void): void;
}

/**
 * Runs the host loop on a worker's message port. The worker posts a heartbeat while it idles,
 * and a last word when an uncaught error or rejection is about to end it (the runtime still
 * reports the error to the HTTP thread, where it can: Deno reports no worker's exit).
 */
export function runHost(port: HostPort, engine: OrtEngine, early?: EarlyStart): void {
  setInterval(() => port.postMessage({ signal: "heartbeat" }), HEARTBEAT_MS);
  port.addEventListener("error", (event) => port.postMessage({ signal: "goodbye", reason: (event as ErrorEvent).message }));
  port.addEventListener("unhandledrejection", (event) =>
    port.postMessage({ signal: "goodbye", reason: `unhandled rejection: ${messageOf((event as PromiseRejectionEvent).reason)}` }),
  );
  const models = new Map<string, WorkerModel>();
  const queue = new SerialQueue();
  let runtime: RuntimeOptions | undefined;

  // Each host holds one kind of model: it imports only that kind's code (a faster start), before
  // the load is measured (the code is the host's, not the model's).
  const loaderFor = async (kind: LoadPayload["kind"]): Promise<(payload: LoadPayload) => Promise<WorkerModel>> => {
    switch (kind) {
      case "lexicon": {
        const { LexiconClassifier } = await import("./lexicon-classifier.ts");
        return () => LexiconClassifier.create();
      }
      case "prophet": {
        const { ProphetForecasterModel } = await import("./prophet-forecaster-model.ts");
        return async (payload) => new ProphetForecasterModel((payload as ProphetLoadPayload).text);
      }
      case "onnx": {
        const { OnnxSessionModel } = await import("./onnx-session-model.ts");
        return async (payload) => OnnxSessionModel.create(await engine.start(started()), queue, payload as OnnxLoadPayload, engine, started());
      }
      case "transformer": {
        const { TransformerClassifier } = await import("./transformer-classifier.ts");
        return async (payload) => TransformerClassifier.create(await engine.start(started()), queue, started(), payload as TransformerLoadPayload, engine);
      }
    }
  };
  const started = (): RuntimeOptions => {
    if (runtime === undefined) throw new Error("host not initialised");
    return runtime;
  };

  // Models the host was told about at its start load before anyone asks (see ./early-loads.ts).
  const earlyLoads = new EarlyLoads();
  if (early !== undefined) {
    runtime = early.runtime;
    // transformers.js imports while the runtime's probe session runs; the service, told, starts
    // importing its own modules (see ../native/native-prestart.ts).
    if (early.loads.length > 0) void engine.warm?.(early.runtime).then(() => port.postMessage({ signal: "warm" }));
    for (const load of early.loads) {
      const payload: TransformerLoadPayload = { ...load, instanceId: "early" };
      earlyLoads.start(
        load,
        async () => measuredLoad(payload, await loaderFor("transformer")),
        async (model) => {
          await model.dispose();
          engine.settle?.("unload");
        },
      );
    }
  }
  const load = async (payload: LoadPayload): Promise<WorkerModel> => {
    const started = earlyLoads.take(payload);
    if (started !== undefined) {
      const model = await started.catch(() => undefined);
      if (model !== undefined) {
        model.info.details.started_early = true;
        return model;
      }
    }
    return measuredLoad(payload, await loaderFor(payload.kind));
  };

  const instance = (id: string): WorkerModel => {
    const model = models.get(id);
    if (model === undefined) throw new UnknownInstanceError(`model instance ${id} is not loaded on this host`);
    return model;
  };

  const handle = async (request: HostRequest): Promise<unknown> => {
    switch (request.op) {
      case "init":
        runtime = request.runtime;
        // A native host exists only to run onnxruntime-node: a runtime that cannot start fails
        // the host's start, so that the service can fall back to WASM at once.
        if (engine.kind === "native") {
          if (runtime.preloadTransformers === true) void engine.warm?.(runtime);
          await engine.start(runtime);
        }
        return null;
      case "load": {
        const model = await load(request.payload);
        models.set(request.payload.instanceId, model);
        // After the answer is posted: the service need not wait for a full collection to serve the
        // model. A load begun early is settled here too, once claimed (its collection took ~40 ms).
        setTimeout(() => engine.settle?.("load", request.payload), 0);
        return model.info;
      }
      case "run": {
        const model = instance(request.instanceId);
        if (!model.run) throw new Error("this model does not take tensors");
        return model.run(request.inputs, request.outputs).finally(() => engine.settle?.("run"));
      }
      case "classify": {
        const model = instance(request.instanceId);
        if (!model.classify) throw new Error("this model does not classify text");
        return model.classify(request.texts).finally(() => engine.settle?.("run"));
      }
      case "forecast": {
        const model = instance(request.instanceId);
        if (!model.forecast) throw new Error("this model does not forecast");
        return model.forecast(request.body, request.maxPeriods);
      }
      case "unload": {
        const model = models.get(request.instanceId);
        models.delete(request.instanceId);
        await model?.dispose();
        engine.settle?.("unload");
        return model !== undefined;
      }
      case "stats": {
        if (request.collectGarbage === true) jsRuntime.gc();
        const memory = process.memoryUsage();
        const stats: HostStats = { pid: process.pid, instances: models.size, wasmMemory: engine.memoryBytes(), heapUsed: memory.heapUsed, rss: memory.rss };
        return stats;
      }
    }
  };

  port.onmessage = (event) => {
    const request = event.data as HostRequest;
    handle(request).then(
      (result) => port.postMessage({ id: request.id, ok: true, result, wasmMemory: engine.memoryBytes() }),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: errorInfo(error), wasmMemory: engine.memoryBytes() }),
    );
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorInfo(error: unknown): HostErrorInfo {
  const name = error instanceof Error ? error.name : "Error";
  const message = messageOf(error);
  if (error instanceof AppError) return { name, message, status: error.status, code: error.code };
  // A runtime that never started is not a crash: restarting the host would fail the same way.
  if (error instanceof RuntimeUnavailableError) return { name, message };
  return FATAL_PATTERN.test(message) || error instanceof WebAssembly.RuntimeError
    ? { name, message, fatal: true }
    : { name, message };
}
