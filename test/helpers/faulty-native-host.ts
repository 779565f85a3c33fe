/**
 * A native model host process with a fault chosen by its first argument, for tests that need
 * the fault on cue (src/host/native/native-channel.ts starts it like the real one):
 * - `crash-on-load`: a segmentation fault (SIGSEGV) whenever it is asked to load a model;
 * - `crash-on-run`: the same whenever it is asked to run or classify;
 * - `no-runtime`: onnxruntime-node "cannot start" (its engine fails as a missing one would).
 */
import { runHost } from "../../src/host/worker/host-worker.ts";
import { ipcHostPort } from "../../src/host/native/ipc-port.ts";
import { nativeEngine } from "../../src/host/native/native-engine.ts";
import { RuntimeUnavailableError } from "../../src/host/worker/worker-errors.ts";

const fault = process.argv[2];
const port = ipcHostPort();
if (fault === "no-runtime") {
  runHost(port, { ...nativeEngine, start: () => Promise.reject(new RuntimeUnavailableError("The native runtime (onnxruntime-node) could not start: libonnxruntime.so.1: cannot open shared object file")) });
} else {
  runHost(port, nativeEngine);
  const handle = port.onmessage;
  port.onmessage = (event) => {
    const op = (event.data as { op?: string }).op;
    if ((fault === "crash-on-load" && op === "load") || (fault === "crash-on-run" && (op === "run" || op === "classify"))) {
      process.kill(process.pid, "SIGSEGV");
    }
    handle?.(event);
  };
}
