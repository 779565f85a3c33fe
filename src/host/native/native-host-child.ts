/**
 * Entry of the native model host, a child process of the service (started by
 * ./native-channel.ts): the same host loop as the worker hosts, on onnxruntime-node, over IPC.
 */
import { runHost } from "../worker/host-worker.ts";
import { ipcHostPort } from "./ipc-port.ts";
import type { EarlyStart } from "../host-protocol.ts";
import { EARLY_START_ARG } from "./native-channel.ts";
import { nativeEngine, preloadNativeRuntime } from "./native-engine.ts";

const earlyArg = process.argv.find((arg) => arg.startsWith(EARLY_START_ARG));
const early = earlyArg === undefined ? undefined : (JSON.parse(earlyArg.slice(EARLY_START_ARG.length)) as EarlyStart);
// onnxruntime-node is imported, and the models of an early start begin loading, while the service still starts.
preloadNativeRuntime();
runHost(ipcHostPort(), nativeEngine, early);
