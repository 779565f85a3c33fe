/**
 * Entry of the native model host, a child process of the service (started by
 * ./native-channel.ts): the same host loop as the worker hosts, on onnxruntime-node, over IPC.
 */
import { runHost } from "../worker/host-worker.ts";
import { ipcHostPort } from "./ipc-port.ts";
import { nativeEngine } from "./native-engine.ts";

runHost(ipcHostPort(), nativeEngine);
