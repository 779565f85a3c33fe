import { describe, expect, test } from "bun:test";
import { decodeInferRequest } from "../../src/inference/decode-request.ts";
import { BadRequestError } from "../../src/errors/app-error.ts";
import { InferenceRequestError } from "../../src/inference/inference-error.ts";
import type { ModelSignature } from "../../src/inference/tensor.ts";
import { expect400, IRIS, TITANIC } from "./sample-signatures.ts";

const irisInput = { name: "X", datatype: "FP32", shape: [2, 2], data: [5.1, 3.5, 6.7, 3.0] };
const decodeIris = (body: unknown) => decodeInferRequest(body, IRIS, { maxBatch: 64 });

const titanicInputs = [
  { name: "pclass", datatype: "INT64", shape: [2, 1], data: [1, 3] },
  { name: "sex", datatype: "BYTES", shape: [2, 1], data: ["female", "male"] },
  { name: "age", datatype: "FP32", shape: [2, 1], data: [29, "NaN"] },
  { name: "fare", datatype: "FP32", shape: [2, 1], data: [211.3375, 7.25] },
  { name: "embarked", datatype: "BYTES", shape: [2, 1], data: ["S", "missing"] },
];

describe("decodeInferRequest: a valid request", () => {
  test("builds typed tensors keyed by input name and defaults to every returnable output", () => {
    const request = decodeIris({ inputs: [irisInput] });
    expect(request.inputs.X).toEqual({ datatype: "FP32", shape: [2, 2], data: new Float32Array([5.1, 3.5, 6.7, 3.0]) });
    expect(request.outputs).toEqual(["output_label"]);
    expect(request).not.toHaveProperty("id");
    expect(request).not.toHaveProperty("parameters");
  });

  test("keeps the id and the request parameters", () => {
    const request = decodeIris({ id: "req-7", parameters: { priority: 2, trace: true, tag: "a" }, inputs: [irisInput] });
    expect(request.id).toBe("req-7");
    expect(request.parameters).toEqual({ priority: 2, trace: true, tag: "a" });
  });

  test("decodes mixed INT64 / BYTES / FP32 inputs, NaN where allowed", () => {
    const request = decodeInferRequest({ inputs: titanicInputs }, TITANIC, { maxBatch: 64, allowNonFinite: new Set(["age"]) });
    expect(request.inputs.pclass!.data).toEqual(new BigInt64Array([1n, 3n]));
    expect(request.inputs.sex!.data).toEqual(["female", "male"]);
    expect(Number.isNaN((request.inputs.age!.data as Float32Array)[1])).toBe(true);
    expect(request.outputs).toEqual(["label", "probabilities"]);
  });

  test("inputs may come in any order", () => {
    const request = decodeInferRequest({ inputs: [...titanicInputs].reverse() }, TITANIC, { maxBatch: 64, allowNonFinite: true });
    expect(Object.keys(request.inputs).sort()).toEqual(["age", "embarked", "fare", "pclass", "sex"]);
  });

  test("the error is a BadRequestError, so the HTTP layer answers 400", () => {
    const error = expect400(() => decodeIris({ inputs: [] }), /missing/);
    expect(error).toBeInstanceOf(BadRequestError);
  });
});

describe("decodeInferRequest: the envelope", () => {
  test.each([
    ["null", null],
    ["an array", []],
    ["a string", "inputs"],
  ])("a body that is %s", (_label, body) => {
    expect400(() => decodeIris(body), /request body must be a JSON object/);
  });

  test("inputs absent or not an array", () => {
    expect400(() => decodeIris({}), /"inputs" must be an array, got nothing/);
    expect400(() => decodeIris({ inputs: { X: [1, 2] } }), /"inputs" must be an array, got an object/);
  });

  test("an id that is not a string", () => {
    expect400(() => decodeIris({ id: 42, inputs: [irisInput] }), /"id" must be a string, got a number/);
  });

  test("parameters that are not an object of scalars", () => {
    expect400(() => decodeIris({ parameters: [1], inputs: [irisInput] }), /"parameters" must be an object/);
    expect400(() => decodeIris({ parameters: { nested: { a: 1 } }, inputs: [irisInput] }), /values must be strings, numbers or booleans/);
  });

  test("an input entry that is not an object or has no name", () => {
    expect400(() => decodeIris({ inputs: [[1, 2]] }), /inputs\[0\] must be an object, got an array/);
    expect400(() => decodeIris({ inputs: [{ datatype: "FP32", shape: [1, 2], data: [1, 2] }] }), /inputs\[0\] needs a "name" string/);
    expect400(() => decodeIris({ inputs: [{ ...irisInput, name: "" }] }), /inputs\[0\] needs a "name" string/);
  });
});

describe("decodeInferRequest: input names", () => {
  test("a missing input", () => {
    const inputs = titanicInputs.filter((input) => input.name !== "fare");
    expect400(() => decodeInferRequest({ inputs }, TITANIC, { maxBatch: 64, allowNonFinite: true }), /^Input "fare" is missing$/);
  });

  test("an unknown input name lists the model's inputs", () => {
    expect400(() => decodeIris({ inputs: [irisInput, { ...irisInput, name: "Y" }] }), /^Unknown input "Y"; the model's inputs are "X"$/);
  });

  test("a long unknown name is cut short in the message", () => {
    const error = expect400(() => decodeIris({ inputs: [{ ...irisInput, name: "x".repeat(5000) }] }), /^Unknown input "x+\.\.\."/);
    expect(error.message.length).toBeLessThan(200);
  });

  test("the list of known inputs stops at 10 names", () => {
    const wide: ModelSignature = { ...IRIS, inputs: Array.from({ length: 25 }, (_, i) => ({ name: `f${i}`, datatype: "FP32" as const, shape: [-1] })) };
    expect400(() => decodeInferRequest({ inputs: [irisInput] }, wide, { maxBatch: 8 }), /^Unknown input "X"; the model's inputs are "f0", .*"f9" and 15 more$/);
  });

  test("a duplicate input name", () => {
    expect400(() => decodeIris({ inputs: [irisInput, irisInput] }), /^Input "X" is given more than once$/);
  });

  test("binary_data_size without binary data after the JSON is refused clearly", () => {
    const input = { name: "X", datatype: "FP32", shape: [1, 2], parameters: { binary_data_size: 8 } };
    expect400(() => decodeIris({ inputs: [input] }), /carries no binary data: send the JSON's length in Inference-Header-Content-Length/);
  });
});

describe("decodeInferRequest: requested outputs", () => {
  const both: ModelSignature = {
    ...IRIS,
    outputs: [...IRIS.outputs, { name: "scores", datatype: "FP32", shape: [-1, 3] }],
  };
  const decodeBoth = (outputs: unknown) => decodeInferRequest({ inputs: [irisInput], outputs }, both, { maxBatch: 64 });

  test("picks outputs in the order asked; parameters such as binary_data are accepted", () => {
    expect(decodeBoth([{ name: "scores" }, { name: "output_label", parameters: { binary_data: true } }]).outputs).toEqual(["scores", "output_label"]);
  });

  test("an empty list means every returnable output, as in Triton", () => {
    expect(decodeBoth([]).outputs).toEqual(["output_label", "scores"]);
  });

  test("an unknown output name lists the returnable outputs", () => {
    expect400(() => decodeBoth([{ name: "proba" }]), /^Unknown output "proba"; the model's outputs are "output_label", "scores"$/);
  });

  test("an output listed in unsupportedOutputs says why it cannot be returned", () => {
    expect400(() => decodeBoth([{ name: "output_probability" }]), /^Output "output_probability" cannot be returned: it is a sequence of maps \(ZipMap\)\.$/);
  });

  test("the same output twice", () => {
    expect400(() => decodeBoth([{ name: "scores" }, { name: "scores" }]), /"scores" is requested more than once/);
  });

  test("malformed entries", () => {
    expect400(() => decodeBoth({ name: "scores" }), /"outputs" must be an array, got an object/);
    expect400(() => decodeBoth(["scores"]), /outputs\[0\] must be an object, got a string/);
    expect400(() => decodeBoth([{ parameters: {} }]), /outputs\[0\] needs a "name" string/);
    expect400(() => decodeBoth([{ name: "scores", parameters: "x" }]), /Output "scores" "parameters" must be an object/);
  });

  test("the classification extension is refused rather than ignored", () => {
    expect400(() => decodeBoth([{ name: "scores", parameters: { classification: 2 } }]), /classification extension is not supported/);
  });

  test("a model with no returnable output refuses every request with the reasons", () => {
    const zipmapOnly: ModelSignature = { ...IRIS, outputs: [] };
    const error = expect400(() => decodeInferRequest({ inputs: [irisInput] }, zipmapOnly, { maxBatch: 64 }), /no output that can be returned/);
    expect(error.message).toContain("ZipMap");
  });
});

test("InferenceRequestError carries status 400 and a stable code", () => {
  const error = new InferenceRequestError("x");
  expect([error.status, error.code, error.name]).toEqual([400, "invalid_inference_request", "InferenceRequestError"]);
});
