/**
 * Entry of a model host worker. It sits beside src/main.ts because `bun build --compile` needs
 * worker entry points in the entry file's folder.
 */
import { runHost } from "./host/worker/host-worker.ts";

declare const self: Worker;

runHost(self as unknown as Parameters<typeof runHost>[0]);
