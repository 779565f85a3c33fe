import type { Logger } from "../logging/logger.ts";
import type { HostStats, RuntimeOptions } from "./host-protocol.ts";
import { HostCrashedError } from "./host-errors.ts";
import { ModelHost } from "./model-host.ts";
import type { WorkerHandle } from "../runtime/runtime-api.ts";
import { NotFoundError } from "../errors/app-error.ts";
import { shownName } from "../errors/model-not-found.ts";

/** What the pool is built from. */
export interface HostPoolOptions {
  /** Number of WASM hosts (ONNX and transformer models). */
  size: number;
  runtime: RuntimeOptions;
  log: Logger;
  workerUrl?: string;
  /** WebAssembly memory (bytes) past which a WASM host is recycled (default: never). */
  memoryLimit?: number;
  /** A load unanswered this long makes its host prove it is alive (see ModelHost). */
  loadDeadlineMs?: number;
  /** A run, classify or forecast unanswered this long makes its host prove it is alive. */
  callDeadlineMs?: number;
  /** How long a host has to answer once a deadline passed before it is killed (ModelHost's default 2000 ms). */
  probeMs?: number;
  /** Crashes allowed per host within `restartWindowMs` before the host is given up. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** The native host (onnxruntime-node in a child process), when the service may use one. */
  native?: { open: () => WorkerHandle; runtime: RuntimeOptions };
}

/** One host's state, for the hosts route and the logs. */
export interface HostInfo {
  name: string;
  running: boolean;
  /** Models loaded on it. */
  instances: number;
  /** Times its worker died and was started again. */
  restarts: number;
  /** Times it was replaced on purpose (memory limit, admin request), its models reloaded. */
  recycles: number;
  /** The last crash or recycle, and why. */
  last_incident?: string;
  /** WebAssembly memory of its runtime, bytes. */
  wasm_memory_bytes: number;
  memory?: HostStats;
}

interface Slot {
  name: string;
  /** The worker being started or running; undefined until first use, and after a crash or recycle. */
  host: Promise<ModelHost> | undefined;
  /** The started worker of `host`. */
  current: ModelHost | undefined;
  /** Whether this slot watches WebAssembly memory (the WASM hosts). */
  wasm: boolean;
  /** How its host starts (default: a worker thread) and with which runtime settings. */
  open?: () => WorkerHandle;
  runtime?: RuntimeOptions;
  restarts: number[];
  recycles: number;
  lastIncident: string | undefined;
}

/** Why a host's models must be reloaded: the worker that held them and what happened to it. */
export interface HostIncident {
  kind: "crash" | "recycle";
  hostName: string;
  /** The worker that died or was retired; its models are the ones to reload. */
  host: ModelHost;
  reason: string;
}

/**
 * The model hosts: `size` WASM workers that run ONNX sessions and transformers.js (models are
 * placed on them in turn), optionally one native host (a child process running onnxruntime-node),
 * one pure-JS worker for the lexicon analyser and one for Prophet forecasts — kept apart from WASM, so that a broken WASM runtime never takes the fallback down,
 * and from each other, so that a long forecast never delays a fallback answer. Workers start on
 * first use.
 *
 * A host that dies is started again on next use; a WASM host whose memory passed the limit (it
 * never shrinks, even after a failed huge allocation) is recycled: new models go to a fresh
 * worker, and the old worker stops once its last model is released. Either way `onIncident`
 * tells the owner, who reloads that worker's models.
 */
export class HostPool {
  private readonly wasmSlots: Slot[];
  private readonly lexiconSlot: Slot;
  private readonly prophetSlot: Slot;
  private readonly nativeSlot: Slot | undefined;
  private nextWasm = 0;
  private stopped = false;
  /** Called after a host died, or was recycled. */
  onIncident: ((incident: HostIncident) => void) | undefined;

  constructor(private readonly options: HostPoolOptions) {
    this.wasmSlots = Array.from({ length: options.size }, (_, index) => newSlot(`wasm-${index}`, true));
    this.lexiconSlot = newSlot("lexicon", false);
    this.prophetSlot = newSlot("prophet", false);
    if (options.native !== undefined) this.nativeSlot = { ...newSlot("native", false), ...options.native };
  }

  /** True when the service was built with a native host. */
  get hasNative(): boolean {
    return this.nativeSlot !== undefined;
  }

  /** The native host (onnxruntime-node in a child process), started if needed. */
  nativeHost(): Promise<ModelHost> {
    if (this.nativeSlot === undefined) return Promise.reject(new HostCrashedError("this service has no native model host"));
    return this.open(this.nativeSlot);
  }

  /** A WASM host (in turn), started if needed. */
  wasmHost(): Promise<ModelHost> {
    const slot = this.wasmSlots[this.nextWasm++ % this.wasmSlots.length]!;
    return this.open(slot);
  }

  /** The lexicon's host, started if needed. */
  lexiconHost(): Promise<ModelHost> {
    return this.open(this.lexiconSlot);
  }

  /** The Prophet forecasters' host, started if needed. */
  prophetHost(): Promise<ModelHost> {
    return this.open(this.prophetSlot);
  }

  /**
   * Replaces a host's worker without interrupting it: the next models go to a new worker, the
   * old one stops after its last model is released, and the owner reloads its models.
   * Throws NotFoundError for an unknown host name.
   */
  recycle(hostName: string, reason: string): void {
    const slot = this.slots().find((candidate) => candidate.name === hostName);
    if (slot === undefined) throw new NotFoundError(`No model host named ${shownName(hostName)}`, "host_not_found");
    const starting = slot.host;
    const host = slot.current;
    // Synchronously, so that a load answered right now already sees its host retired.
    slot.host = undefined;
    slot.current = undefined;
    slot.recycles++;
    slot.lastIncident = `recycled: ${reason}`;
    if (host === undefined) {
      void starting?.then((started) => started.retire(), () => undefined);
      return;
    }
    host.retire();
    this.options.log.warn(`Recycling model host ${hostName}: ${reason}; its models are reloaded on a new worker`, { host: hostName });
    this.onIncident?.({ kind: "recycle", hostName, host, reason });
  }

  /** Hosts, their models, restarts and memory (`withMemory`: ask each worker, after a GC when `collectGarbage`). */
  async describe(withMemory = false, collectGarbage = false): Promise<HostInfo[]> {
    return Promise.all(
      this.slots().map(async (slot) => {
        const host = slot.current;
        const info: HostInfo = {
          name: slot.name,
          running: host?.isAlive === true,
          instances: host?.modelCount ?? 0,
          restarts: slot.restarts.length,
          recycles: slot.recycles,
          wasm_memory_bytes: host?.wasmMemory ?? 0,
        };
        if (slot.lastIncident !== undefined) info.last_incident = slot.lastIncident;
        if (withMemory && host?.isAlive) info.memory = await host.stats(collectGarbage).catch(() => undefined);
        return info;
      }),
    );
  }

  /** Stops every worker. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots()) {
      const host = await slot.host?.catch(() => undefined);
      host?.terminate();
      slot.host = undefined;
      slot.current = undefined;
    }
  }

  private slots(): Slot[] {
    return [...this.wasmSlots, ...(this.nativeSlot === undefined ? [] : [this.nativeSlot]), this.lexiconSlot, this.prophetSlot];
  }

  private open(slot: Slot): Promise<ModelHost> {
    if (this.stopped) return Promise.reject(new HostCrashedError("the model hosts are stopped"));
    if (slot.host !== undefined) return slot.host;
    const window = this.options.restartWindowMs ?? 60_000;
    const recent = slot.restarts.filter((at) => Date.now() - at < window);
    if (recent.length >= (this.options.maxRestarts ?? 5)) {
      return Promise.reject(
        new HostCrashedError(`model host ${slot.name} crashed ${recent.length} times within ${window / 1000} s; not restarting it yet`),
      );
    }
    const { runtime, log, workerUrl, memoryLimit, loadDeadlineMs, callDeadlineMs, probeMs } = this.options;
    const started = ModelHost.start({
      name: slot.name,
      runtime: slot.runtime ?? runtime,
      log,
      ...(slot.open !== undefined && { open: slot.open }),
      ...(workerUrl !== undefined && { workerUrl }),
      ...(loadDeadlineMs !== undefined && { loadDeadlineMs }),
      ...(callDeadlineMs !== undefined && { callDeadlineMs }),
      ...(probeMs !== undefined && { probeMs }),
    }).then((host) => {
      // Recycled or stopped while it started: it never serves.
      if (slot.host !== started) {
        host.terminate();
        throw new HostCrashedError(`model host ${slot.name} was replaced while it started`);
      }
      slot.current = host;
      host.onCrash = (reason) => this.crashed(slot, host, reason);
      if (memoryLimit !== undefined && slot.wasm) {
        host.memoryLimit = memoryLimit;
        host.onMemoryHigh = (bytes) => {
          const mib = (value: number) => `${Math.round(value / 2 ** 20)} MiB`;
          this.recycle(slot.name, `its WebAssembly memory grew to ${mib(bytes)}, over the limit of ${mib(memoryLimit)}`);
        };
      }
      return host;
    });
    slot.host = started;
    started.catch(() => {
      if (slot.host === started) slot.host = undefined;
    });
    return started;
  }

  private crashed(slot: Slot, host: ModelHost, reason: string): void {
    if (slot.current === host) {
      slot.host = undefined;
      slot.current = undefined;
    }
    slot.restarts.push(Date.now());
    slot.lastIncident = `crashed: ${reason}`;
    if (this.stopped) return;
    this.options.log.error(`Model host ${slot.name} died: ${reason}; its models will be reloaded on a new host`, { host: slot.name });
    this.onIncident?.({ kind: "crash", hostName: slot.name, host, reason });
  }
}

function newSlot(name: string, wasm: boolean): Slot {
  return { name, host: undefined, current: undefined, wasm, restarts: [], recycles: 0, lastIncident: undefined };
}
