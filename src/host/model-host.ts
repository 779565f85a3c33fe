import type { HostTensor } from "../inference/tensor.ts";
import type { Logger } from "../logging/logger.ts";
import type {
  Classification,
  HostReply,
  HostRequest,
  HostStats,
  LoadedInfo,
  LoadPayload,
  RuntimeOptions,
} from "./host-protocol.ts";
import { HostCallError, HostCrashedError } from "./host-errors.ts";
import { isWebWorkerIntact, WebWorker } from "./web-worker.ts";
import { HOST_WORKER_URL } from "../model-host-url.ts";
import { AppError } from "../errors/app-error.ts";
import type { ForecastPoint } from "../prophet/index.ts";

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Call = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;


/**
 * The HTTP thread's handle on one model host worker: a request/reply channel with typed calls.
 * When the worker dies every pending call is rejected with {@link HostCrashedError} and
 * `onCrash` fires, so that the owner can start a new host and reload its models.
 *
 * @example
 * const host = await ModelHost.start("wasm-0", runtime, log);
 * const info = await host.load({ kind: "onnx", instanceId: "iris#1", fileName: "iris.onnx", model, externalData: [] });
 */
export class ModelHost {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private alive = true;
  private models = 0;
  private retiring = false;
  private memory = 0;
  /** Called once if the worker dies while this handle is in use. */
  onCrash: ((reason: string) => void) | undefined;
  /** Called once when the worker's WebAssembly memory passes `memoryLimit`. */
  onMemoryHigh: ((bytes: number) => void) | undefined;
  /** WebAssembly memory, in bytes, above which `onMemoryHigh` fires (default: never). */
  memoryLimit = Number.POSITIVE_INFINITY;

  private constructor(
    readonly name: string,
    private readonly worker: Worker,
    private readonly log: Logger,
  ) {
    worker.onmessage = (event: MessageEvent<HostReply>) => this.settle(event.data);
    worker.onerror = (event: ErrorEvent) => this.die(`uncaught error in model host: ${event.message}`);
    worker.addEventListener("close", () => this.die("model host exited"));
  }

  /** Starts a worker and hands it its runtime settings. */
  static async start(name: string, runtime: RuntimeOptions, log: Logger, workerUrl = HOST_WORKER_URL): Promise<ModelHost> {
    if (!(await isWebWorkerIntact())) {
      throw new HostCrashedError(
        "globalThis.Worker was replaced by worker_threads.Worker before model-cache was imported (onnxruntime-web does this when it starts in a thread): import model-cache first",
      );
    }
    const host = new ModelHost(name, new WebWorker(workerUrl), log);
    await host.call({ op: "init", runtime });
    return host;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Number of calls waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
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

  load(payload: LoadPayload): Promise<LoadedInfo> {
    const transfer: Transferable[] =
      payload.kind === "onnx" ? [payload.model, ...payload.externalData.map((file) => file.data)] : [];
    return this.call({ op: "load", payload }, transfer) as Promise<LoadedInfo>;
  }

  run(instanceId: string, inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>> {
    return this.call({ op: "run", instanceId, inputs, outputs }) as Promise<Record<string, HostTensor>>;
  }

  classify(instanceId: string, texts: string[]): Promise<Classification[]> {
    return this.call({ op: "classify", instanceId, texts }) as Promise<Classification[]>;
  }

  forecast(instanceId: string, body: unknown, maxPeriods: number): Promise<ForecastPoint[]> {
    return this.call({ op: "forecast", instanceId, body, maxPeriods }) as Promise<ForecastPoint[]>;
  }

  async unload(instanceId: string): Promise<void> {
    if (!this.alive) return;
    await this.call({ op: "unload", instanceId });
  }

  /** Memory and instances of the worker; after a full garbage collection when `collectGarbage`. */
  stats(collectGarbage = false): Promise<HostStats> {
    return this.call({ op: "stats", ...(collectGarbage && { collectGarbage }) }) as Promise<HostStats>;
  }

  /** Stops the worker; pending calls fail with {@link HostCrashedError}. */
  terminate(reason = "model host stopped"): void {
    if (!this.alive) return;
    this.onCrash = undefined;
    this.die(reason);
    this.worker.terminate();
  }

  private call(request: Call, transfer: Transferable[] = []): Promise<unknown> {
    if (!this.alive) return Promise.reject(new HostCrashedError(`model host ${this.name} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...request, id } as HostRequest, transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private settle(reply: HostReply): void {
    if (reply.wasmMemory !== undefined) this.noteMemory(reply.wasmMemory);
    const waiter = this.pending.get(reply.id);
    if (waiter === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      waiter.resolve(reply.result);
      return;
    }
    const { name, message, fatal = false, status, code } = reply.error;
    // Application errors (a bad forecast request, an unusable export) keep their status.
    waiter.reject(status !== undefined && code !== undefined ? new AppError(status, code, message) : new HostCallError(message, name, fatal));
    if (fatal) {
      this.log.error(`Model host ${this.name} hit a fatal runtime error; restarting it`, { error: message });
      const crash = this.onCrash;
      this.terminate(`model host ${this.name} restarted after a fatal runtime error`);
      crash?.(message);
    }
  }

  private noteMemory(bytes: number): void {
    this.memory = bytes;
    if (bytes <= this.memoryLimit || this.onMemoryHigh === undefined) return;
    const high = this.onMemoryHigh;
    this.onMemoryHigh = undefined;
    high(bytes);
  }

  private die(reason: string): void {
    if (!this.alive) return;
    this.alive = false;
    for (const waiter of this.pending.values()) waiter.reject(new HostCrashedError(reason));
    this.pending.clear();
    const crash = this.onCrash;
    this.onCrash = undefined;
    crash?.(reason);
  }
}
