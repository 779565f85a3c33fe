/**
 * Tracks the WebAssembly memories this worker instantiates, to report their size. onnxruntime-web
 * keeps no public handle on its memory, and a WASM memory only ever grows: after one run that
 * needed gigabytes (and failed with std::bad_alloc, leaving the runtime usable), the worker keeps
 * that memory for good. Reporting it lets the owner recycle the host.
 */
const memories = new Set<WebAssembly.Memory>();
let watching = false;

/** Wraps `WebAssembly.instantiate` once, before onnxruntime-web instantiates its module. */
export function watchWasmMemories(): void {
  if (watching) return;
  watching = true;
  const original = WebAssembly.instantiate.bind(WebAssembly) as (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;
  (WebAssembly as { instantiate: unknown }).instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    const result = await original(source, imports);
    const instance = result instanceof WebAssembly.Instance ? result : (result as WebAssembly.WebAssemblyInstantiatedSource).instance;
    for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.add(value);
    for (const module of Object.values(imports ?? {})) {
      for (const value of Object.values(module)) if (value instanceof WebAssembly.Memory) memories.add(value);
    }
    return result;
  };
}

/** Bytes of WebAssembly memory held by this worker. */
export function wasmMemoryBytes(): number {
  let total = 0;
  for (const memory of memories) total += memory.buffer.byteLength;
  return total;
}
