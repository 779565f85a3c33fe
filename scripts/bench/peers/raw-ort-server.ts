/**
 * The tiny-model peer of `bun run bench`: a raw `Bun.serve` with one onnxruntime-web session in
 * the same thread, answering Open Inference Protocol infer requests for a model with one FP32
 * input — the least a server can do per request.
 *
 *   MODEL_FILE=….onnx MODEL=iris_classifier PORT=… bun raw-ort-server.ts
 */
import * as ort from "onnxruntime-web";
import { readFileSync } from "node:fs";

const { MODEL_FILE = "", MODEL = "", PORT = "0" } = process.env;
const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(MODEL_FILE)));

interface InferInput {
  name: string;
  shape: number[];
  data: number[];
}

const server = Bun.serve({
  port: Number(PORT),
  hostname: "127.0.0.1",
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === `/v2/models/${MODEL}/ready`) return Response.json({ ready: true });
    if (request.method !== "POST" || pathname !== `/v2/models/${MODEL}/infer`) return new Response("not found", { status: 404 });
    const { inputs } = (await request.json()) as { inputs: InferInput[] };
    const input = inputs[0]!;
    const results = await session.run({ [input.name]: new ort.Tensor("float32", Float32Array.from(input.data), input.shape) });
    const outputs = Object.entries(results).map(([name, tensor]) => ({
      name,
      datatype: tensor.type === "int64" ? "INT64" : "FP32",
      shape: tensor.dims,
      data: Array.from(tensor.data as ArrayLike<number | bigint>, Number),
    }));
    return Response.json({ model_name: MODEL, outputs });
  },
});
console.log(`listening on ${server.port}`);
