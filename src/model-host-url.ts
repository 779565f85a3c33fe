/**
 * URL of the model host worker's entry file. It is computed here, in the same folder as the
 * entry, because inside a single executable every module's `import.meta.url` is the executable
 * itself (`file:///$bunfs/root/model-cache`): a URL relative to this folder is right both from
 * source and inside the binary.
 */
export const HOST_WORKER_URL = new URL("./model-host.worker.ts", import.meta.url).href;
