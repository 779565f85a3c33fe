import type { HostTensor } from "../inference/tensor.ts";
import type { Logger } from "../logging/logger.ts";
import type {
  Classification,
  HostMessage,
  HostReply,
  HostRequest,
  HostStats,
  LoadedInfo,
  LoadPayload,
  RuntimeOptions,
} from "./host-protocol.ts";
import { HostCallError, HostCrashedError } from "./host-errors.ts";
import { LivenessWatch } from "./liveness-watch.ts";
import { runtime } from "#runtime";
import type { WorkerHandle } from "../runtime/runtime-api.ts";
import { HOST_WORKER_URL } from "../model-host-url.ts";
import { AppError } from "../errors/app-error.ts";
import type { ForecastPoint } from "../prophet/index.ts";

type Pending = { op: HostRequest["op"]; resolve(value: unknown): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> | undefined };
type Call = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** How a host is started. */
export interface ModelHostOptions {
  name: string;
  runtime: RuntimeOptions;
  log: Logger;
  workerUrl?: string;
  /** A load unanswered this long makes the host prove it is alive (default: never). */
  loadDeadlineMs?: number;
  /** A run, classify or forecast unanswered this long makes the host prove it is alive (default: never). */
  callDeadlineMs?: number;
  /** How long the host has to answer that proof before it is killed (default 2000 ms). */
  probeMs?: number;
  /** Silence (no heartbeat, no reply) after which an idle host is declared dead (default 1000 ms). */
  silenceMs?: number;
  /** Starts the host (default: a worker thread from `workerUrl`); the native host is a child process. */
  open?: () => WorkerHandle;
}

/** Calls during which the worker's thread may be held by one synchronous WASM or CPU job. */
const BLOCKING_OPS: ReadonlySet<HostRequest["op"]> = new Set(["init", "load", "run", "classify", "forecast"]);

/**
 * The HTTP thread's handle on one model host worker: a request/reply channel with typed calls.
 *
 * When the worker dies (or a fatal runtime fault is reported) every pending call is rejected with
 * {@link HostCrashedError} and `onCrash` fires, so that the owner can reload the host's models on
 * a new worker. A death is noticed from the runtime's error or exit event, the worker's last
 * word, or (where the runtime reports no exit, as Deno) its missing heartbeat. A call unanswered
 * past its deadline sends the worker a probe; a worker that does not answer even that is stuck
 * inside a synchronous WASM call and is killed the same way.
 *
 * @example
 * const host = await ModelHost.start({ name: "wasm-0", runtime, log });
 * const info = await host.load({ kind: "onnx", instanceId: "iris#1", fileName: "iris.onnx", model, externalData: [] });
 */
export class ModelHost {
  readonly name: string;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private alive = true;
  private models = 0;
  private retiring = false;
  private memory = 0;
  private probing = false;
  private readonly liveness: LivenessWatch;
  /** Called once if the worker dies (not when it is stopped on purpose). */
  onCrash: ((reason: string) => void) | undefined;
  /** Called once when the worker's WebAssembly memory passes `memoryLimit`. */
  onMemoryHigh: ((bytes: number) => void) | undefined;
  /** WebAssembly memory, in bytes, above which `onMemoryHigh` fires (default: never). */
  memoryLimit = Number.POSITIVE_INFINITY;

  private constructor(
    private readonly worker: WorkerHandle,
    private readonly options: ModelHostOptions,
  ) {
    this.name = options.name;
    worker.onmessage = (event) => this.receive(event.data as HostMessage);
    worker.onerror = (message) => this.kill(`uncaught error in model host: ${message}`);
    worker.onexit = (reason) => this.kill(reason);
    this.liveness = new LivenessWatch(
      options.silenceMs ?? 1000,
      () => [...this.pending.values()].some((waiter) => BLOCKING_OPS.has(waiter.op)),
      (silentMs) => this.kill(`model host exited: no heartbeat for ${Math.round(silentMs)} ms`),
    );
  }

  /** Starts a worker and hands it its runtime settings. */
  static async start(options: ModelHostOptions): Promise<ModelHost> {
    if (!(await runtime.workersIntact())) {
      throw new HostCrashedError(
        "globalThis.Worker was replaced by worker_threads.Worker before model-cache was imported (onnxruntime-web does this when it starts in a thread): import model-cache first",
      );
    }
    const host = new ModelHost(options.open?.() ?? runtime.startWorker(options.workerUrl ?? HOST_WORKER_URL), options);
    try {
      await host.call({ op: "init", runtime: options.runtime });
    } catch (error) {
      host.terminate("model host failed to start");
      throw error;
    }
    return host;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** True once retired: it takes no new models and stops after its last one is released. */
  get isRetiring(): boolean {
    return this.retiring;
  }

  /** WebAssembly memory of the worker, bytes, as of its last reply. */
  get wasmMemory(): number {
    return this.memory;
  }

  /** Models loaded on this host. */
  get modelCount(): number {
    return this.models;
  }

  /** Counts a model placed on (+1) or released from (-1) this host. */
  track(delta: 1 | -1): void {
    this.models = Math.max(0, this.models + delta);
    if (this.retiring && this.models === 0) this.terminate("model host retired");
  }

  /**
   * Takes no new models; the worker stops once its last model is released (at once when it
   * holds none). Used to recycle a host without interrupting the requests it serves.
   */
  retire(): void {
    this.retiring = true;
    this.onCrash = undefined;
    this.onMemoryHigh = undefined;
    if (this.models === 0) this.terminate("model host retired");
  }

  /**
   * Loads a model. A load that finishes on a host retired meanwhile is undone and fails with a
   * transient {@link HostCrashedError}, so that it is tried again on the new worker.
   */
  async load(payload: LoadPayload): Promise<LoadedInfo> {
    const transfer: Transferable[] =
      payload.kind === "onnx" ? [payload.model, ...payload.externalData.map((file) => file.data)] : [];
    const info = (await this.call({ op: "load", payload }, transfer, this.options.loadDeadlineMs)) as LoadedInfo;
    if (this.retiring) {
      void this.unload(payload.instanceId).catch(() => undefined);
      throw new HostCrashedError(`model host ${this.name} was recycled while the model loaded`);
    }
    return info;
  }

  run(instanceId: string, inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>> {
    return this.call({ op: "run", instanceId, inputs, outputs }, [], this.options.callDeadlineMs) as Promise<Record<string, HostTensor>>;
  }

  classify(instanceId: string, texts: string[]): Promise<Classification[]> {
    return this.call({ op: "classify", instanceId, texts }, [], this.options.callDeadlineMs) as Promise<Classification[]>;
  }

  forecast(instanceId: string, body: unknown, maxPeriods: number): Promise<ForecastPoint[]> {
    return this.call({ op: "forecast", instanceId, body, maxPeriods }, [], this.options.callDeadlineMs) as Promise<ForecastPoint[]>;
  }

  async unload(instanceId: string): Promise<void> {
    if (!this.alive) return;
    await this.call({ op: "unload", instanceId });
  }

  /** Memory and instances of the worker; after a full garbage collection when `collectGarbage`. */
  stats(collectGarbage = false): Promise<HostStats> {
    return this.call({ op: "stats", ...(collectGarbage && { collectGarbage }) }) as Promise<HostStats>;
  }

  /** Stops the worker on purpose (no `onCrash`); pending calls fail with {@link HostCrashedError}. */
  terminate(reason = "model host stopped"): void {
    this.onCrash = undefined;
    this.kill(reason);
  }

  private call(request: Call, transfer: Transferable[] = [], deadlineMs?: number): Promise<unknown> {
    if (!this.alive) return Promise.reject(new HostCrashedError(`model host ${this.name} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = deadlineMs === undefined ? undefined : setTimeout(() => this.probe(request.op, deadlineMs), deadlineMs);
      this.pending.set(id, { op: request.op, resolve, reject, timer });
      try {
        this.worker.postMessage({ ...request, id } as HostRequest, transfer);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /**
   * A call went unanswered past its deadline. A worker busy with async work (reading files)
   * still answers a probe and is left alone; one stuck inside a synchronous WASM call cannot,
   * and is killed: its calls fail and its models are reloaded elsewhere.
   */
  private probe(op: string, deadlineMs: number): void {
    if (this.probing || !this.alive) return;
    this.probing = true;
    const probeMs = this.options.probeMs ?? 2000;
    const verdict = setTimeout(() => {
      this.options.log.error(`Model host ${this.name} did not answer for ${deadlineMs + probeMs} ms (a ${op} call hung); restarting it`);
      this.kill(`model host ${this.name} hung in a ${op} call and was restarted`);
    }, probeMs);
    this.stats().then(
      () => {
        clearTimeout(verdict);
        this.probing = false;
        this.options.log.warn(`A ${op} call on model host ${this.name} has waited over ${deadlineMs} ms; the host answers, so it keeps waiting`);
      },
      () => clearTimeout(verdict),
    );
  }

  private receive(message: HostMessage): void {
    this.liveness.heard();
    if (!("signal" in message)) this.settle(message);
    else if (message.signal === "goodbye") this.kill(`uncaught error in model host: ${message.reason}`);
  }

  private settle(reply: HostReply): void {
    if (reply.wasmMemory !== undefined) this.noteMemory(reply.wasmMemory);
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    clearTimeout(waiter.timer);
    this.pending.delete(reply.id);
    if (reply.ok) {
      waiter.resolve(reply.result);
      return;
    }
    const { name, message, fatal = false, status, code } = reply.error;
    // Application errors (a bad forecast request, an unusable export) keep their status.
    waiter.reject(status !== undefined && code !== undefined ? new AppError(status, code, message) : new HostCallError(message, name, fatal));
    if (fatal) {
      this.options.log.error(`Model host ${this.name} hit a fatal runtime error; restarting it`, { error: message });
      this.kill(`fatal runtime error: ${message}`);
    }
  }

  private noteMemory(bytes: number): void {
    this.memory = bytes;
    if (bytes <= this.memoryLimit || this.onMemoryHigh === undefined) return;
    const high = this.onMemoryHigh;
    this.onMemoryHigh = undefined;
    high(bytes);
  }

  /** The worker is gone (or made to go): fail its calls, stop its thread, tell the owner once. */
  private kill(reason: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.liveness.stop();
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new HostCrashedError(reason));
    }
    this.pending.clear();
    this.worker.terminate();
    const crash = this.onCrash;
    this.onCrash = undefined;
    crash?.(reason);
  }
}
