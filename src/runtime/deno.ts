/**
 * The Deno runtime: `Deno.serve` with the app's `fetch`, assets read from node_modules (Deno has
 * no file embedding through imports), the `yaml` package, module workers whose uncaught errors
 * are kept from ending the process.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { readFile } from "node:fs/promises";
import { parse as parseYamlText } from "yaml";
import type { Runtime, RunningServer, Servable, ServeOptions, WorkerHandle } from "./runtime-api.ts";

/** The part of Deno's API used here (Deno's own types are not part of this build). */
interface DenoServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
  readonly finished: Promise<void>;
}
declare const Deno: {
  version: { deno: string };
  serve(options: { port: number; hostname: string; onListen?: () => void }, handler: (request: Request) => Response | Promise<Response>): DenoServer;
};

const WebWorker: typeof Worker = globalThis.Worker;
const require = createRequire(import.meta.url);

/**
 * Bun's `Response.json()` labels its body `application/json;charset=utf-8`, Deno's
 * `application/json`: answers carry Bun's label on both, so that clients see the same bytes.
 */
function withBunJsonLabel(response: Response): Response {
  if (response.headers.get("content-type") === "application/json") response.headers.set("content-type", "application/json;charset=utf-8");
  return response;
}

function serve(app: Servable, options: ServeOptions): RunningServer {
  const server = Deno.serve({ port: options.port, hostname: options.hostname, onListen: () => undefined }, async (request) =>
    withBunJsonLabel(await app.fetch(request)),
  );
  let shutdown: Promise<void> | undefined;
  return {
    port: server.addr.port,
    stop: (force) => {
      shutdown ??= server.shutdown();
      // Deno has no forced close: connections still open end with the process.
      return force ? Promise.resolve() : shutdown;
    },
  };
}

function startWorker(url: string): WorkerHandle {
  const worker = new WebWorker(url, { type: "module" });
  const handle: WorkerHandle = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    // Deno sends no close event, even for terminate(); Bun does, and says so the same way here.
    terminate: () => {
      worker.terminate();
      setTimeout(() => handle.onexit?.("model host exited"), 0);
    },
    onmessage: null,
    onerror: null,
    onexit: null,
  };
  worker.onmessage = (event) => handle.onmessage?.(event);
  worker.onerror = (event) => {
    // Unprevented, an uncaught error in a worker ends the whole Deno process.
    event.preventDefault();
    handle.onerror?.(event.message);
  };
  return handle;
}

/**
 * Deno's workers are web workers: their global scope is a `DedicatedWorkerGlobalScope` with a
 * `location` whose origin is opaque (`"null"`: started from a file: URL). Bun's have neither, and
 * transformers.js reads both when it is imported. From the scope it concludes it runs in a
 * browser worker and chains every session creation (and every run) on one module-level promise
 * with no rejection handler: after one failed load (a truncated model.onnx) every later load in
 * that host skips its work and rejects with that first error. Its bundled onnxruntime-web
 * resolves its own URL against `location.origin`, and `new URL(url, "null")` throws. Hidden
 * while it is imported, it takes the server paths it takes under Bun.
 */
async function importAsServer<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as { location?: { origin?: string }; constructor?: { name?: string } };
  const keys = [
    ...(scope.location?.origin === "null" ? ["location"] : []),
    ...(scope.constructor?.name?.endsWith("WorkerGlobalScope") ? ["constructor"] : []),
  ];
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const key of keys) {
    const own = Object.getOwnPropertyDescriptor(globalThis, key);
    if (own !== undefined && !own.configurable) continue;
    saved.set(key, own);
    // An own `constructor` shadows the one on the scope's prototype; `location` is a getter.
    Object.defineProperty(globalThis, key, { value: undefined, configurable: true, writable: true });
  }
  try {
    return await load();
  } finally {
    for (const [key, own] of saved) {
      if (own === undefined) delete (globalThis as Record<string, unknown>)[key];
      else Object.defineProperty(globalThis, key, own);
    }
  }
}

/** Deno, as model-cache uses it. */
export const runtime: Runtime = {
  name: "deno",
  version: Deno.version.deno,
  assets: {
    ortWasm: require.resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"),
    ortWasmFactory: require.resolve("onnxruntime-web/ort-wasm-simd-threaded.mjs"),
    swaggerUiBundle: require.resolve("swagger-ui-dist/swagger-ui-bundle.js"),
    swaggerUiStandalonePreset: require.resolve("swagger-ui-dist/swagger-ui-standalone-preset.js"),
    swaggerUiCss: require.resolve("swagger-ui-dist/swagger-ui.css"),
    favicon32: require.resolve("swagger-ui-dist/favicon-32x32.png"),
    favicon16: require.resolve("swagger-ui-dist/favicon-16x16.png"),
    openapiYaml: fileURLToPath(new URL("../../openapi.yaml", import.meta.url)),
  },
  serve,
  readFile: async (path) => {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>;
  },
  // Deno maps no files: read them (Deno never runs the native host that maps its models).
  mapFile: (path) => runtime.readFile(path),
  parseYaml: (text) => parseYamlText(text),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  gc: () => (globalThis as { gc?: () => void }).gc?.(),
  // Deno reaches libc only through FFI permissions the service does not ask for.
  trimNativeHeap: () => undefined,
  startWorker,
  workersIntact: async () => (WebWorker as unknown) !== (await import("node:worker_threads")).Worker,
  importAsServer,
};
