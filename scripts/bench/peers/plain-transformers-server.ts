/**
 * The peer `bun run bench` compares model-cache with: the twenty-line server a user would write
 * instead, `Bun.serve` around a transformers.js text-classification pipeline.
 *
 *   MODELS_DIR=… MODEL=… PORT=… [DTYPE=q8] [ORT=wasm [WASM_THREADS=n]] bun plain-transformers-server.ts
 *
 * Under Bun transformers.js runs on native onnxruntime-node. `ORT=wasm` hands it onnxruntime-web
 * instead (the only way to get WASM under Bun: `device: "wasm"` is refused), with `WASM_THREADS`
 * threads (default: every core; onnxruntime-web's own default under Bun is 1). It answers
 * POST /api/v1/sentiment {"text"} like model-cache, and GET /v2/models/<MODEL>/ready once loaded.
 */
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";

const { MODELS_DIR = "", MODEL = "", PORT = "0", DTYPE = "fp32", ORT = "native" } = process.env;
if (ORT === "native") {
  // In this repository the name onnxruntime-node is a stand-in (package.json overrides) and the
  // real package is installed as onnxruntime-node-native: hand it over where transformers.js looks
  // first, which is what a plain install gets from its own require("onnxruntime-node").
  (globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = await import("onnxruntime-node-native");
} else {
  const ort = await import("onnxruntime-web");
  const resolveFile = (file: string) => pathToFileURL(Bun.resolveSync(`onnxruntime-web/${file}`, import.meta.dir)).href;
  ort.env.wasm.wasmPaths = { mjs: resolveFile("ort-wasm-simd-threaded.mjs"), wasm: resolveFile("ort-wasm-simd-threaded.wasm") };
  ort.env.wasm.numThreads = Number(process.env.WASM_THREADS ?? availableParallelism());
  (globalThis as Record<symbol, unknown>)[Symbol.for("onnxruntime")] = ort;
}
const { pipeline, env } = await import("@huggingface/transformers");
env.allowRemoteModels = false;
// Its default turns onnxruntime-web's .mjs into a blob: URL, from which its threads never start
// under Bun (session creation hangs with more than one thread).
env.useWasmCache = false;
env.localModelPath = `${MODELS_DIR}/`;
const classify = await pipeline("text-classification", MODEL, { dtype: DTYPE as "fp32", device: "auto" });

const server = Bun.serve({
  port: Number(PORT),
  hostname: "127.0.0.1",
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === `/v2/models/${MODEL}/ready`) return Response.json({ ready: true });
    if (request.method !== "POST" || pathname !== "/api/v1/sentiment") return new Response("not found", { status: 404 });
    const { text } = (await request.json()) as { text: string };
    const [best] = (await classify(text)) as { label: string; score: number }[];
    return Response.json({ label: best!.label, score: best!.score });
  },
});
console.log(`listening on ${server.port}`);
