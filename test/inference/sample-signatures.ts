/** Signatures shaped like the fixture models, for codec tests that need no ORT session. */
import type { ModelSignature, OipDatatype } from "../../src/inference/tensor.ts";
import { decodeInferRequest, type DecodeInferRequestOptions, type InferRequest } from "../../src/inference/decode-request.ts";
import { InferenceRequestError } from "../../src/inference/inference-error.ts";
import { expect } from "bun:test";

/** skl2onnx logistic regression on iris: one dynamic batch, ZipMap output not returnable. */
export const IRIS: ModelSignature = {
  inputs: [{ name: "X", datatype: "FP32", shape: [-1, 2] }],
  outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
  unsupportedOutputs: [{ name: "output_probability", reason: "it is a sequence of maps (ZipMap)." }],
};

/** The titanic pipeline without ZipMap: mixed INT64, BYTES and FP32 inputs. */
export const TITANIC: ModelSignature = {
  inputs: [
    { name: "pclass", datatype: "INT64", shape: [-1, 1] },
    { name: "sex", datatype: "BYTES", shape: [-1, 1] },
    { name: "age", datatype: "FP32", shape: [-1, 1] },
    { name: "fare", datatype: "FP32", shape: [-1, 1] },
    { name: "embarked", datatype: "BYTES", shape: [-1, 1] },
  ],
  outputs: [
    { name: "label", datatype: "INT64", shape: [-1] },
    { name: "probabilities", datatype: "FP32", shape: [-1, 2] },
  ],
  unsupportedOutputs: [],
};

/** A model with one fixed-shape input `v` of the given datatype (shape [n]). */
export function vectorModel(datatype: OipDatatype, n = -1): ModelSignature {
  return {
    inputs: [{ name: "v", datatype, shape: [n] }],
    outputs: [{ name: "out", datatype, shape: [n] }],
    unsupportedOutputs: [],
  };
}

/** Decodes a request for `vectorModel(datatype)` with the data given flat. */
export function decodeVector(datatype: OipDatatype, data: unknown[], options: Partial<DecodeInferRequestOptions> = {}): InferRequest {
  const body = { inputs: [{ name: "v", datatype, shape: [data.length], data }] };
  return decodeInferRequest(body, vectorModel(datatype), { maxBatch: 1000, ...options });
}

/** Asserts that `run` throws an InferenceRequestError (a 400) whose message matches. */
export function expect400(run: () => unknown, message: RegExp): InferenceRequestError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InferenceRequestError);
  const error = caught as InferenceRequestError;
  expect(error.status).toBe(400);
  expect(error.code).toBe("invalid_inference_request");
  expect(error.message).toMatch(message);
  return error;
}
