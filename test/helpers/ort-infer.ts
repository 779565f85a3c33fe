/**
 * In-process Open Inference Protocol round trips on real onnxruntime-web sessions (no worker, no
 * HTTP): request JSON → decode → ORT → encode → response JSON, exactly as the service chains them.
 */
import * as ort from "onnxruntime-web";
import { join } from "node:path";
import { decodeInferRequest, type DecodeInferRequestOptions } from "../../src/inference/decode-request.ts";
import { encodeInferResponse, type InferResponse } from "../../src/inference/encode-response.ts";
import { fromOrtTensor } from "../../src/inference/from-ort-tensor.ts";
import { signatureFromSession } from "../../src/inference/ort-signature.ts";
import { toOrtTensor } from "../../src/inference/to-ort-tensor.ts";
import type { HostTensor, ModelSignature } from "../../src/inference/tensor.ts";
import { readFile } from "node:fs/promises";
import { SHARED_FIXTURES } from "./paths.ts";

/**
 * The shared, read-only fixture models (override with MODEL_FIXTURES_DIR). Tests that open them
 * go through `sharedFixtures` (require-fixtures.ts).
 */
export const FIXTURE_MODELS = process.env.MODEL_FIXTURES_DIR ?? join(SHARED_FIXTURES, "models");

/**
 * Opens a fixture model (a path under {@link FIXTURE_MODELS}) in onnxruntime-web. Warnings are
 * muted per session (not through the global `ort.env`): ORT warns about old-IR models
 * (initializers listed as inputs, opset < 7), and the tests check behaviour, not the log.
 *
 * @example
 * const session = await openFixture("skl2onnx_logreg_iris/model.onnx");
 */
export async function openFixture(relativePath: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(await readFile(join(FIXTURE_MODELS, relativePath)), { logSeverityLevel: 3 });
}

/**
 * Runs host tensors through a session, fetching only `outputs`; ORT's own log of a failed run is
 * muted, the rejection carries the same message.
 *
 * @example
 * const out = await runHostTensors(session, { X: tensor }, ["output_label"]);
 */
export async function runHostTensors(
  session: ort.InferenceSession,
  inputs: Record<string, HostTensor>,
  outputs: string[],
): Promise<Record<string, HostTensor>> {
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toOrtTensor(ort, t)]));
  const results = await session.run(feeds, outputs, { logSeverityLevel: 4 });
  return Object.fromEntries(outputs.map((name) => [name, fromOrtTensor(results[name]!)]));
}

/** A model opened for OIP requests, with the signature read from it. */
export interface OipModel {
  session: ort.InferenceSession;
  signature: ModelSignature;
  /** Answers an OIP request body like POST /v2/models/{name}/infer would. */
  infer(body: unknown, options?: Partial<DecodeInferRequestOptions>): Promise<InferResponse>;
}

/**
 * Opens a fixture as an OIP model named after its folder.
 *
 * @example
 * const iris = await openOipModel("skl2onnx_logreg_iris/model.onnx");
 * await iris.infer({ inputs: [{ name: "X", datatype: "FP32", shape: [1, 2], data: [5.1, 3.5] }] });
 */
export async function openOipModel(relativePath: string): Promise<OipModel> {
  const session = await openFixture(relativePath);
  const signature = signatureFromSession(session);
  const modelName = relativePath.split("/")[0]!;
  return {
    session,
    signature,
    async infer(body, options) {
      // A JSON round trip makes sure nothing but real JSON reaches the decoder.
      const request = decodeInferRequest(JSON.parse(JSON.stringify(body)), signature, { maxBatch: 64, ...options });
      const outputs = await runHostTensors(session, request.inputs, request.outputs);
      const response = encodeInferResponse({ modelName, modelVersion: "1", id: request.id, outputs });
      return JSON.parse(JSON.stringify(response)) as InferResponse;
    },
  };
}

/**
 * Compares JSON tensor data element by element: numbers within `tolerance`, everything else
 * ("NaN", strings, booleans) exactly. Returns the first mismatch, or undefined.
 *
 * @example
 * expect(firstMismatch(response.outputs[0].data, [0.1145, 0.8855], 1e-4)).toBeUndefined();
 */
export function firstMismatch(actual: readonly unknown[], expected: readonly unknown[], tolerance: number): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    const close = typeof a === "number" && typeof e === "number" ? Math.abs(a - e) <= tolerance : a === e;
    if (!close) return `element ${i}: ${String(a)} != ${String(e)}`;
  }
  return undefined;
}
