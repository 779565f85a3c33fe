/**
 * Chooses where an ONNX or transformer model runs, from `ONNX_BACKEND`: `wasm` always on a WASM
 * worker host; `native` always on the native host (onnxruntime-node in a child process); `auto`
 * on the native host for models of `NATIVE_MIN_MB` or more, where native compute pays for a call
 * to another process, and on WASM for smaller ones (measured: iris and the demo sentiment model
 * answer 1.3–1.5× more requests at 32 connections from a WASM worker) and whenever native cannot
 * serve — onnxruntime-node missing or unable to start (for good), the native host crashing again
 * and again (until its restart window passes), or a model onnxruntime-node refuses to load (a
 * StringNormalizer without the en_US.UTF-8 locale, say) but onnxruntime-web takes.
 */
import type { OnnxBackendChoice } from "../config/config.ts";
import { HostCallError, HostCrashedError } from "../host/host-errors.ts";
import type { LoadedInfo, LoadPayload } from "../host/host-protocol.ts";
import type { HostPool } from "../host/host-pool.ts";
import type { ModelHost } from "../host/model-host.ts";
import type { Logger } from "../logging/logger.ts";

/** The native runtime was asked for (`ONNX_BACKEND=native`) but cannot run here. */
export class NativeUnavailableError extends Error {
  override readonly name = "NativeUnavailableError";
}

/** A host for one model, and whether it is the native one. */
export interface ChosenHost {
  host: ModelHost;
  native: boolean;
}

/** A model loaded on a host. */
export interface HostedLoad {
  host: ModelHost;
  info: LoadedInfo;
}

/** Picks hosts for the ONNX and transformer backends. */
export class ExecutionHosts {
  private nativeMissing: string | undefined;

  constructor(
    private readonly pool: HostPool,
    private readonly choice: OnnxBackendChoice,
    private readonly log: Logger,
    /** Why native cannot run here at all (see nativeUnsupportedReason), if it cannot. */
    unsupported?: string,
    /** Under `auto`, smaller models run on WASM (`NATIVE_MIN_MB`). */
    private readonly minNativeBytes = 0,
  ) {
    this.nativeMissing = unsupported ?? (pool.hasNative ? undefined : "the service has no native host");
    if (choice === "auto" && unsupported !== undefined) log.info(`ONNX and transformer models run on WASM: ${unsupported}`);
  }

  /** True when a model of `sizeBytes` would be placed on the native host (if it can run). */
  prefersNative(sizeBytes: number | undefined): boolean {
    return this.choice === "native" || (this.choice === "auto" && (sizeBytes ?? Number.POSITIVE_INFINITY) >= this.minNativeBytes);
  }

  /** What runs large models now: `native`, `wasm`, or why native was set aside. */
  describe(): { choice: OnnxBackendChoice; active: "native" | "wasm"; reason?: string } {
    if (this.choice === "wasm") return { choice: this.choice, active: "wasm" };
    if (this.nativeMissing !== undefined) return { choice: this.choice, active: this.choice === "native" ? "native" : "wasm", reason: this.nativeMissing };
    return { choice: this.choice, active: "native" };
  }

  /**
   * Loads a model on the host it should run on; `payload` builds the load (once per attempt). Under
   * `auto`, a model the native runtime refuses, or whose load crashed the native host twice in a
   * row, is loaded on WASM, and its registry details say why.
   */
  async load(payload: () => LoadPayload, sizeBytes?: number): Promise<HostedLoad> {
    let crashes = 0;
    for (;;) {
      const { host, native } = await this.host(sizeBytes);
      try {
        return { host, info: await host.load(payload()) };
      } catch (error) {
        if (!native || this.choice !== "auto") throw error;
        // One crash may be another model's doing: the next attempt starts a fresh native host.
        if (error instanceof HostCrashedError && ++crashes < 2) continue;
        if (!(error instanceof HostCrashedError || (error instanceof HostCallError && !error.fatal))) throw error;
        const wasm = await this.pool.wasmHost();
        const fallback = payload();
        this.log.warn(`Loading ${fallback.instanceId} on WASM: the native runtime failed on it (${error.message.slice(0, 200)})`);
        const info = await wasm.load(fallback);
        info.details = { ...info.details, native_error: error.message.slice(0, 300) };
        return { host: wasm, info };
      }
    }
  }

  /** The host the next model (of `sizeBytes`, when known) loads on. */
  async host(sizeBytes?: number): Promise<ChosenHost> {
    if (!this.prefersNative(sizeBytes)) return { host: await this.pool.wasmHost(), native: false };
    if (this.nativeMissing !== undefined) {
      if (this.choice === "native") throw new NativeUnavailableError(`ONNX_BACKEND=native, but ${this.nativeMissing}`);
      return { host: await this.pool.wasmHost(), native: false };
    }
    try {
      return { host: await this.pool.nativeHost(), native: true };
    } catch (error) {
      if (this.choice === "native") throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof HostCallError && error.remoteName === "RuntimeUnavailableError") {
        this.nativeMissing = reason;
        this.log.warn(`Native onnxruntime cannot start (${reason}); ONNX and transformer models run on WASM`);
      } else {
        this.log.warn(`The native model host cannot start now (${reason}); this model loads on WASM`);
      }
      return { host: await this.pool.wasmHost(), native: false };
    }
  }
}
