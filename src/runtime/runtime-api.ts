/**
 * What model-cache needs from the JavaScript runtime it runs on. Bun and Deno differ in how they
 * serve HTTP, embed files, start workers, parse YAML and collect garbage; each has one module
 * (`bun.ts`, `deno.ts`) that implements this interface, chosen by the `#runtime` import
 * condition in package.json. Nothing outside `src/runtime/` may use `Bun.*` or `Deno.*`.
 */

/** Files the service ships with: embedded in a single executable, read from node_modules otherwise. */
export interface AssetPaths {
  /** onnxruntime-web's WASM binary. */
  ortWasm: string;
  /** onnxruntime-web's Emscripten glue for that binary. */
  ortWasmFactory: string;
  swaggerUiBundle: string;
  swaggerUiStandalonePreset: string;
  swaggerUiCss: string;
  favicon32: string;
  favicon16: string;
  /** The hand-written OpenAPI document. */
  openapiYaml: string;
}

/** What the HTTP face hands to {@link Runtime.serve}. */
export interface Servable {
  fetch(request: Request): Response | Promise<Response>;
}

/** Options of {@link Runtime.serve}. */
export interface ServeOptions {
  port: number;
  hostname: string;
}

/** A listening server. */
export interface RunningServer {
  /** The port it listens on (the one picked when 0 was asked). */
  readonly port: number;
  /**
   * Stops accepting connections. Graceful: resolves once the requests in flight are answered.
   * Forced: closes every connection now.
   */
  stop(force: boolean): Promise<void>;
}

/** A model host (a worker, or a child process), with the events both runtimes can deliver. */
export interface WorkerHandle {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  /** An uncaught error inside the worker; it never ends the process. */
  onerror: ((message: string) => void) | null;
  /**
   * The worker exited, or was terminated. Deno reports no exit of a worker that ends by itself
   * (`close()`, `process.exit()`): ModelHost notices those from the missing heartbeat.
   */
  onexit: ((reason: string) => void) | null;
}

/** The runtime model-cache runs on. */
export interface Runtime {
  readonly name: "bun" | "deno";
  /** The runtime's own version. */
  readonly version: string;
  readonly assets: AssetPaths;
  /** Serves an app's `fetch` on a TCP port. */
  serve(app: Servable, options: ServeOptions): RunningServer;
  /** A file's bytes (embedded assets included). */
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * A file's bytes as a private read-only view of its pages, where the runtime can map files
   * (Bun), else read into memory. Nothing is copied until read; the mapping ends when the
   * array is collected. Reading a mapped file that another process truncates meanwhile ends
   * the process (SIGBUS): map only where a crash is contained (the native host).
   */
  mapFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  /** YAML text to plain data; throws on invalid YAML. */
  parseYaml(text: string): unknown;
  sleep(ms: number): Promise<void>;
  /** A full garbage collection, where the runtime allows one (measurements, soak tests). */
  gc(): void;
  /**
   * Gives the C heap's free memory back to the system (glibc's `malloc_trim`), where the runtime
   * can call it: loading a large native model leaves hundreds of MB freed but still resident.
   */
  trimNativeHeap(): void;
  /** Starts a module worker from a URL. */
  startWorker(url: string): WorkerHandle;
  /**
   * Starts a model host as a child process running `entry` (with `args`) on this runtime, its
   * messages crossing an IPC channel by structured clone; `onexit` tells how it ended (a signal
   * such as SIGSEGV included). Absent where the runtime offers none (Deno: models run on WASM).
   */
  startProcess?(entry: string, args: string[], env?: Record<string, string>): WorkerHandle;
  /**
   * False when the Web Worker captured at import was `worker_threads.Worker` (onnxruntime-web
   * replaces the global in a thread where it starts): model hosts need the Web Worker.
   */
  workersIntact(): Promise<boolean>;
  /**
   * Runs `load` (a dynamic import) with what makes a model host look like a browser worker hidden,
   * for libraries that read it once when imported (transformers.js): they then take the same
   * server code paths on both runtimes.
   */
  importAsServer<T>(load: () => Promise<T>): Promise<T>;
}
