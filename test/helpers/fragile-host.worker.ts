/**
 * A model host worker that dies on demand, for the worker-crash tests: after it answers a run of
 * a model whose instance id starts with "crash-throw", "crash-reject" or "crash-exit", it ends by
 * an uncaught error, an unhandled rejection or `process.exit(3)` (no last word; under Deno not
 * even an exit event). Everything else is the real host loop.
 */
import { runHost, type HostPort } from "../../src/host/worker/host-worker.ts";
import type { HostMessage, HostRequest } from "../../src/host/host-protocol.ts";
import { wasmEngine } from "../../src/host/worker/wasm-engine.ts";

const scope = self as unknown as HostPort;
/** The run after whose reply the worker dies, and how. */
let doom: { id: number; how: string } | undefined;

function die(how: string): void {
  if (how === "throw") throw new Error("crash-throw: the test worker throws");
  if (how === "reject") void Promise.reject(new Error("crash-reject: the test worker rejects"));
  if (how === "exit") process.exit(3);
}

const port: HostPort = {
  postMessage(message: HostMessage) {
    scope.postMessage(message);
    if (doom !== undefined && "id" in message && message.id === doom.id) {
      const how = doom.how;
      doom = undefined;
      setTimeout(() => die(how), 0);
    }
  },
  get onmessage() {
    return scope.onmessage;
  },
  set onmessage(handler) {
    scope.onmessage = (event) => {
      const request = event.data as HostRequest;
      const how = request.op === "run" ? /^crash-(throw|reject|exit)/.exec(request.instanceId)?.[1] : undefined;
      if (how !== undefined) doom = { id: request.id, how };
      handler?.(event);
    };
  },
  addEventListener: (type, listener) => scope.addEventListener(type, listener),
};

runHost(port, wasmEngine);
