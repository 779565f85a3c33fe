import type { ModelSignature } from "../inference/tensor.ts";

/**
 * What every text classifier (transformer or lexicon) takes and gives over the Open Inference
 * Protocol: a BYTES input `text` of N strings; BYTES `label` and FP32 `score` of N each.
 */
export const TEXT_CLASSIFIER_SIGNATURE: ModelSignature = {
  inputs: [{ name: "text", datatype: "BYTES", shape: [-1] }],
  outputs: [
    { name: "label", datatype: "BYTES", shape: [-1] },
    { name: "score", datatype: "FP32", shape: [-1] },
  ],
  unsupportedOutputs: [],
};
