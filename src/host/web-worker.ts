/**
 * Bun's Web Worker constructor, captured when this module is first imported. onnxruntime-web's
 * Emscripten glue replaces `globalThis.Worker` with `worker_threads.Worker` in any thread where
 * it initialises; model hosts need the Web Worker (message events, `self.onmessage`), so they
 * use this reference, not the global.
 */
export const WebWorker: typeof Worker = globalThis.Worker;

/** True when `WebWorker` is still Bun's own constructor (not Node's worker_threads one). */
export async function isWebWorkerIntact(): Promise<boolean> {
  const threads = await import("node:worker_threads");
  return (WebWorker as unknown) !== threads.Worker;
}
