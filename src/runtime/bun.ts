/**
 * The Bun runtime: Elysia's own `listen` (Bun's native router), assets embedded with
 * `with { type: "file" }` (inside a single executable they live at `/$bunfs/…`), Bun's YAML
 * parser and garbage collector, and Bun's Web Worker.
 */
import type { Server } from "bun";
import { dlopen, FFIType } from "bun:ffi";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm" with { type: "file" };
import ortWasmFactory from "onnxruntime-web/ort-wasm-simd-threaded.mjs" with { type: "file" };
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import swaggerUiStandalonePreset from "swagger-ui-dist/swagger-ui-standalone-preset.js" with { type: "file" };
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import favicon32 from "swagger-ui-dist/favicon-32x32.png" with { type: "file" };
import favicon16 from "swagger-ui-dist/favicon-16x16.png" with { type: "file" };
import openapiYaml from "../../openapi.yaml" with { type: "file" };
import type { Runtime, RunningServer, Servable, ServeOptions, WorkerHandle } from "./runtime-api.ts";

/**
 * Bun's Web Worker constructor, captured when this module is first imported. onnxruntime-web's
 * Emscripten glue replaces `globalThis.Worker` with `worker_threads.Worker` in any thread where
 * it initialises; model hosts need the Web Worker, so they use this reference, not the global.
 */
const WebWorker: typeof Worker = globalThis.Worker;

/** An Elysia app: on Bun it listens itself, so that Bun's native router serves its routes. */
interface Listenable extends Servable {
  listen?(options: ServeOptions): unknown;
  server?: Server<unknown> | null;
}

function serve(app: Listenable, options: ServeOptions): RunningServer {
  let server: Server<unknown>;
  if (typeof app.listen === "function") {
    app.listen(options);
    if (app.server === undefined || app.server === null) throw new Error("the app did not start a server");
    server = app.server;
  } else {
    server = Bun.serve({ port: options.port, hostname: options.hostname, fetch: (request) => app.fetch(request) });
  }
  return {
    port: server.port ?? options.port,
    stop: async (force) => {
      await server.stop(force);
    },
  };
}

function startWorker(url: string): WorkerHandle {
  const worker = new WebWorker(url, { type: "module" });
  const handle: WorkerHandle = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    terminate: () => worker.terminate(),
    onmessage: null,
    onerror: null,
    onexit: null,
  };
  worker.onmessage = (event) => handle.onmessage?.(event);
  worker.onerror = (event) => {
    event.preventDefault();
    handle.onerror?.(event.message);
  };
  worker.addEventListener("close", () => handle.onexit?.("model host exited"));
  return handle;
}

function startProcess(entry: string, args: string[], env: Record<string, string> = {}): WorkerHandle {
  let stopping = false;
  const child = Bun.spawn([process.execPath, entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
    serialization: "advanced",
    ipc: (message) => handle.onmessage?.({ data: message }),
    onExit: (_child, code, signal) => {
      if (stopping) return;
      handle.onexit?.(signal !== null ? `the process was killed by ${String(signal)}` : `the process exited with code ${code}`);
    },
  });
  const handle: WorkerHandle = {
    postMessage: (message) => {
      // A process that has just died takes no messages; its exit is reported by onExit.
      if (child.exitCode === null && child.signalCode === null) child.send(message);
    },
    terminate: () => {
      stopping = true;
      child.kill("SIGKILL");
    },
    onmessage: null,
    onerror: null,
    onexit: null,
  };
  return handle;
}

let mallocTrim: (() => void) | undefined;

function trimNativeHeap(): void {
  if (mallocTrim === undefined) {
    mallocTrim = () => undefined;
    // glibc only (musl and other systems have no malloc_trim): without it, nothing is trimmed.
    if (process.platform === "linux") {
      try {
        const libc = dlopen("libc.so.6", { malloc_trim: { args: [FFIType.u64], returns: FFIType.i32 } });
        mallocTrim = () => void libc.symbols.malloc_trim(0);
      } catch {
        // Not glibc: keep the no-op.
      }
    }
  }
  mallocTrim();
}

/** Bun, as model-cache uses it. */
export const runtime: Runtime = {
  name: "bun",
  version: Bun.version,
  assets: { ortWasm, ortWasmFactory, swaggerUiBundle, swaggerUiStandalonePreset, swaggerUiCss, favicon32, favicon16, openapiYaml },
  serve,
  readFile: (path) => Bun.file(path).bytes(),
  mapFile: async (path) => Bun.mmap(path, { shared: false }) as Uint8Array<ArrayBuffer>,
  parseYaml: (text) => Bun.YAML.parse(text),
  sleep: (ms) => Bun.sleep(ms),
  gc: () => Bun.gc(true),
  trimNativeHeap,
  startWorker,
  startProcess,
  workersIntact: async () => (WebWorker as unknown) !== (await import("node:worker_threads")).Worker,
  // Bun's workers have neither a worker global scope nor a `location`: nothing to hide.
  importAsServer: (load) => load(),
};
