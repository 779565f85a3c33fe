/**
 * A loaded onnxruntime-web session's metadata → the model's {@link ModelSignature}.
 *
 * What onnxruntime-web 1.30 reports (measured on the fixtures): `inputMetadata`/`outputMetadata`
 * entries are `{ name, isTensor: true, type, shape }` or `{ name, isTensor: false }`. A dimension
 * is a number, 4294967295 when unknown (skl2onnx's None), or a string when symbolic
 * ("batch_size"); a tensor declared without a shape and a scalar both give `shape: []`.
 * Weights that old exporters also list as graph inputs (super-resolution-10's conv1.weight ...)
 * are not reported by ORT at all, so they are not part of the signature and cannot be overridden
 * by a request. ORT does not say what a non-tensor value is, only that it is not a tensor.
 */
import type { InferenceSession } from "onnxruntime-web";
import type { ModelSignature, TensorSpec, UnsupportedOutput } from "./tensor.ts";
import { ortToOipType } from "./datatypes.ts";
import { quoteName, UnsupportedModelError } from "./inference-error.ts";

/** The part of an InferenceSession the signature is read from. */
export type SessionMetadata = Pick<InferenceSession, "inputMetadata" | "outputMetadata">;

// How ORT's WASM build says "unknown": the uint32 image of -1.
const ORT_UNKNOWN_DIM = 4294967295;

/**
 * Reads a model's signature from an ORT session. Outputs that JavaScript cannot receive go to
 * `unsupportedOutputs` with the reason; an input that cannot be fed from JSON makes the whole
 * model unusable and throws {@link UnsupportedModelError}.
 *
 * @example
 * const session = await ort.InferenceSession.create(bytes);
 * signatureFromSession(session);
 * // { inputs: [{ name: "X", datatype: "FP32", shape: [-1, 2] }],
 * //   outputs: [{ name: "output_label", datatype: "INT64", shape: [-1] }],
 * //   unsupportedOutputs: [{ name: "output_probability", reason: "..." }] }
 */
export function signatureFromSession(session: SessionMetadata): ModelSignature {
  const inputs = session.inputMetadata.map((meta): TensorSpec => {
    if (!meta.isTensor) {
      throw new UnsupportedModelError(`Input ${quoteName(meta.name)} is not a tensor (for example a map or a sequence); it cannot be fed over the Open Inference Protocol`);
    }
    const datatype = ortToOipType(meta.type);
    if (!datatype) {
      throw new UnsupportedModelError(`Input ${quoteName(meta.name)} has type ${meta.type}, which has no Open Inference Protocol datatype`);
    }
    return { name: meta.name, datatype, shape: meta.shape.map(toDim) };
  });
  const outputs: TensorSpec[] = [];
  const unsupportedOutputs: UnsupportedOutput[] = [];
  for (const meta of session.outputMetadata) {
    const name = quoteName(meta.name);
    if (!meta.isTensor) {
      unsupportedOutputs.push({
        name: meta.name,
        reason:
          `${name} is not a tensor (for example a sequence of maps from scikit-learn's ZipMap); onnxruntime-web cannot return ` +
          `non-tensor values to JavaScript. Export the model without ZipMap (skl2onnx options={'zipmap': False}) to get the probabilities as a tensor.`,
      });
      continue;
    }
    const datatype = ortToOipType(meta.type);
    if (!datatype) {
      unsupportedOutputs.push({ name: meta.name, reason: `${name} has type ${meta.type}, which has no Open Inference Protocol datatype.` });
      continue;
    }
    outputs.push({ name: meta.name, datatype, shape: meta.shape.map(toDim) });
  }
  return { inputs, outputs, unsupportedOutputs };
}

function toDim(dim: number | string): number {
  return typeof dim === "number" && dim >= 0 && dim !== ORT_UNKNOWN_DIM ? dim : -1;
}
