/**
 * Test preload. Several test files run onnxruntime-web in the test process itself; when it
 * starts, its Emscripten glue assigns `globalThis.Worker = worker_threads.Worker`, and model hosts
 * started later in the same process would get Node's Worker. In tests the runtime runs
 * single-threaded, so the assignment is ignored and the Web Worker stays in place.
 */
const webWorker = globalThis.Worker;
Object.defineProperty(globalThis, "Worker", {
  configurable: true,
  enumerable: true,
  get: () => webWorker,
  set: () => undefined,
});
