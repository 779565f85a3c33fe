import type { Logger } from "../logging/logger.ts";
import type { HostStats, RuntimeOptions } from "./host-protocol.ts";
import { HostCrashedError } from "./host-errors.ts";
import { ModelHost } from "./model-host.ts";
import { HOST_WORKER_URL } from "../model-host-url.ts";
import { NotFoundError } from "../errors/app-error.ts";

/** What the pool is built from. */
export interface HostPoolOptions {
  /** Number of WASM hosts (ONNX and transformer models). */
  size: number;
  runtime: RuntimeOptions;
  log: Logger;
  workerUrl?: string;
  /** WebAssembly memory (bytes) past which a WASM host is recycled (default: never). */
  memoryLimit?: number;
  /** Crashes allowed per host within `restartWindowMs` before the host is given up. */
  maxRestarts?: number;
  restartWindowMs?: number;
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
  host: Promise<ModelHost> | undefined;
  /** The started worker of `host` (an older, retiring worker is not counted here). */
  current: ModelHost | undefined;
  instances: number;
  restarts: number[];
  recycles: number;
  lastIncident: string | undefined;
}

/** Why a host's models must be reloaded. */
export type HostIncident = { kind: "crash" | "recycle"; hostName: string; reason: string };

/**
 * The model hosts: `size` WASM workers that run ONNX sessions and transformers.js, and one
 * pure-JS worker for the lexicon analyser and Prophet forecasts (kept apart from WASM, so that a
 * broken WASM runtime never takes the fallback down, and off the HTTP thread, so that a long
 * forecast never delays other requests). Workers start on first use.
 *
 * A host that dies is started again on next use; a host whose WebAssembly memory passed the
 * limit (it never shrinks, even after a failed huge allocation) is recycled: new models go to a
 * fresh worker, and the old worker stops once its last model is released. Either way
 * `onIncident` tells the owner, who reloads that host's models.
 */
export class HostPool {
  private readonly slots: Slot[];
  private readonly scriptSlot: Slot;
  private stopped = false;
  /** Called after a host died, or was recycled. */
  onIncident: ((incident: HostIncident) => void) | undefined;

  constructor(private readonly options: HostPoolOptions) {
    this.slots = Array.from({ length: options.size }, (_, index) => newSlot(`wasm-${index}`));
    this.scriptSlot = newSlot("js");
  }

  /** The WASM host with the fewest models, started if needed. */
  wasmHost(): Promise<ModelHost> {
    const slot = this.slots.reduce((best, slot) => (slot.instances < best.instances ? slot : best));
    return this.open(slot);
  }

  /** The pure-JS host (lexicon, Prophet), started if needed. */
  scriptHost(): Promise<ModelHost> {
    return this.open(this.scriptSlot);
  }

  /** Counts a model placed on (+1) or removed from (-1) a host, to balance the WASM hosts. */
  track(host: ModelHost, delta: 1 | -1): void {
    host.track(delta);
    const slot = this.slotNamed(host.name);
    if (slot !== undefined && slot.current === host) slot.instances = Math.max(0, slot.instances + delta);
  }

  /**
   * Replaces a host's worker without interrupting it: the next models go to a new worker, the
   * old one stops after its last model is released, and the owner reloads its models.
   * Throws NotFoundError for an unknown host name.
   */
  async recycle(hostName: string, reason: string): Promise<void> {
    const slot = this.slotNamed(hostName);
    if (slot === undefined) throw new NotFoundError(`No model host named "${hostName}"`, "host_not_found");
    const host = await slot.host?.catch(() => undefined);
    slot.host = undefined;
    slot.current = undefined;
    slot.instances = 0;
    slot.recycles++;
    slot.lastIncident = `recycled: ${reason}`;
    host?.retire();
    this.options.log.warn(`Recycling model host ${hostName}: ${reason}; its models are reloaded on a new worker`, { host: hostName });
    this.onIncident?.({ kind: "recycle", hostName, reason });
  }

  /** Hosts, their models, restarts and memory (`withMemory`: ask each worker, after a GC when `collectGarbage`). */
  async describe(withMemory = false, collectGarbage = false): Promise<HostInfo[]> {
    return Promise.all(
      [...this.slots, this.scriptSlot].map(async (slot) => {
        const host = slot.host === undefined ? undefined : await slot.host.catch(() => undefined);
        const info: HostInfo = {
          name: slot.name,
          running: host?.isAlive === true,
          instances: slot.instances,
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
    for (const slot of [...this.slots, this.scriptSlot]) {
      const host = await slot.host?.catch(() => undefined);
      host?.terminate();
      slot.host = undefined;
    }
  }

  private slotNamed(name: string): Slot | undefined {
    return name === this.scriptSlot.name ? this.scriptSlot : this.slots.find((slot) => slot.name === name);
  }

  private open(slot: Slot): Promise<ModelHost> {
    if (this.stopped) return Promise.reject(new HostCrashedError("the model hosts are stopped"));
    if (slot.host !== undefined) return slot.host;
    const window = this.options.restartWindowMs ?? 60_000;
    const recent = slot.restarts.filter((at) => Date.now() - at < window);
    if (recent.length >= (this.options.maxRestarts ?? 5)) {
      return Promise.reject(
        new HostCrashedError(`model host ${slot.name} crashed ${recent.length} times within ${window / 1000} s; not restarting it`),
      );
    }
    const { runtime, log, workerUrl = HOST_WORKER_URL, memoryLimit } = this.options;
    const started = ModelHost.start(slot.name, runtime, log, workerUrl).then((host) => {
      slot.current = host;
      host.onCrash = (reason) => this.crashed(slot, reason);
      if (memoryLimit !== undefined && slot !== this.scriptSlot) {
        host.memoryLimit = memoryLimit;
        host.onMemoryHigh = (bytes) => {
          const mib = (value: number) => `${Math.round(value / 2 ** 20)} MiB`;
          void this.recycle(slot.name, `its WebAssembly memory grew to ${mib(bytes)}, over the limit of ${mib(memoryLimit)}`);
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

  private crashed(slot: Slot, reason: string): void {
    slot.host = undefined;
    slot.current = undefined;
    slot.instances = 0;
    slot.restarts.push(Date.now());
    slot.lastIncident = `crashed: ${reason}`;
    if (this.stopped) return;
    this.options.log.error(`Model host ${slot.name} died: ${reason}; its models will be reloaded on a new host`, {
      host: slot.name,
    });
    this.onIncident?.({ kind: "crash", hostName: slot.name, reason });
  }
}

function newSlot(name: string): Slot {
  return { name, host: undefined, current: undefined, instances: 0, restarts: [], recycles: 0, lastIncident: undefined };
}
