import type { Logger } from "../logging/logger.ts";
import type { HostStats, RuntimeOptions } from "./host-protocol.ts";
import { HostCrashedError } from "./host-errors.ts";
import { ModelHost } from "./model-host.ts";
import { HOST_WORKER_URL } from "../model-host-url.ts";

/** What the pool is built from. */
export interface HostPoolOptions {
  /** Number of WASM hosts (ONNX and transformer models). */
  size: number;
  runtime: RuntimeOptions;
  log: Logger;
  workerUrl?: string;
  /** Restarts allowed per host within `restartWindowMs` before the host is given up. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

/** One host's state, for the registry and the logs. */
export interface HostInfo {
  name: string;
  running: boolean;
  instances: number;
  restarts: number;
  last_crash?: string;
  memory?: HostStats;
}

interface Slot {
  name: string;
  host: Promise<ModelHost> | undefined;
  instances: number;
  restarts: number[];
  lastCrash: string | undefined;
}

/**
 * The model hosts: `size` WASM workers that run ONNX sessions and transformers.js, and one
 * pure-JS worker for the lexicon analyser and Prophet forecasts (kept apart from WASM, so that a
 * broken WASM runtime never takes the fallback down, and off the HTTP thread, so that a long
 * forecast never delays other requests). Workers start on first use. A host that dies is started again on the next
 * use, and `onCrash` tells the owner which host died so it can reload that host's models.
 */
export class HostPool {
  private readonly slots: Slot[];
  private readonly scriptSlot: Slot;
  private stopped = false;
  /** Called after a host died unexpectedly. */
  onCrash: ((hostName: string, reason: string) => void) | undefined;

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
  track(hostName: string, delta: 1 | -1): void {
    const slot = this.slotNamed(hostName);
    if (slot !== undefined) slot.instances = Math.max(0, slot.instances + delta);
  }

  /** Hosts, their models and restarts (memory when `withMemory`). */
  async describe(withMemory = false): Promise<HostInfo[]> {
    return Promise.all(
      [...this.slots, this.scriptSlot].map(async (slot) => {
        const host = slot.host === undefined ? undefined : await slot.host.catch(() => undefined);
        const info: HostInfo = {
          name: slot.name,
          running: host?.isAlive === true,
          instances: slot.instances,
          restarts: slot.restarts.length,
        };
        if (slot.lastCrash !== undefined) info.last_crash = slot.lastCrash;
        if (withMemory && host?.isAlive) info.memory = await host.stats().catch(() => undefined);
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
    const { runtime, log, workerUrl = HOST_WORKER_URL } = this.options;
    const started = ModelHost.start(slot.name, runtime, log, workerUrl).then((host) => {
      host.onCrash = (reason) => this.crashed(slot, host, reason);
      return host;
    });
    slot.host = started;
    started.catch(() => {
      if (slot.host === started) slot.host = undefined;
    });
    return started;
  }

  private crashed(slot: Slot, host: ModelHost, reason: string): void {
    void host;
    slot.host = undefined;
    slot.instances = 0;
    slot.restarts.push(Date.now());
    slot.lastCrash = reason;
    if (this.stopped) return;
    this.options.log.error(`Model host ${slot.name} died: ${reason}; its models will be reloaded on a new host`, {
      host: slot.name,
    });
    this.onCrash?.(slot.name, reason);
  }
}

function newSlot(name: string): Slot {
  return { name, host: undefined, instances: 0, restarts: [], lastCrash: undefined };
}
