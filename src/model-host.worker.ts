/**
 * Entry of a model host worker. It sits beside src/main.ts because `bun build --compile` needs
 * worker entry points in the entry file's folder.
 */
import { runHost, type HostPort } from "./host/worker/host-worker.ts";
import { wasmEngine } from "./host/worker/wasm-engine.ts";

runHost(self as unknown as HostPort, wasmEngine);
