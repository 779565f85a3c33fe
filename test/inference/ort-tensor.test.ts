import { beforeAll, describe, expect, test } from "bun:test";
import * as ort from "onnxruntime-web";
import { decodeInferRequest } from "../../src/inference/decode-request.ts";
import { encodeInferResponse } from "../../src/inference/encode-response.ts";
import { fromOrtTensor } from "../../src/inference/from-ort-tensor.ts";
import { signatureFromSession } from "../../src/inference/ort-signature.ts";
import { toOrtTensor } from "../../src/inference/to-ort-tensor.ts";
import type { HostTensor, ModelSignature, OipDatatype } from "../../src/inference/tensor.ts";
import { allocateTensorData, OIP_DATATYPES } from "../../src/inference/datatypes.ts";
import { identityModelBytes } from "./identity-model.ts";
import { runHostTensors } from "../helpers/ort-infer.ts";

let session: ort.InferenceSession;
let signature: ModelSignature;

beforeAll(async () => {
  session = await ort.InferenceSession.create(identityModelBytes());
  signature = signatureFromSession(session);
});

const json: Record<OipDatatype, unknown[]> = {
  BOOL: [true, false, false, true],
  UINT8: [0, 1, 254, 255],
  UINT16: [0, 1, 65534, 65535],
  UINT32: [0, 1, 4294967294, 4294967295],
  UINT64: [0, 1, 9007199254740991, "18446744073709551615"],
  INT8: [-128, -1, 0, 127],
  INT16: [-32768, -1, 0, 32767],
  INT32: [-2147483648, -1, 0, 2147483647],
  INT64: ["-9223372036854775808", "-9007199254740993", "0", "9223372036854775807"],
  FP16: [1, -0.5, "NaN", "-Infinity"],
  FP32: [0.5, -(2 ** -100), "NaN", "Infinity"],
  FP64: [0.1, -1e300, "NaN", 5e-324],
  BYTES: ["", "a b", "é😀", "tab\there"],
};

describe("HostTensor ↔ ort.Tensor through a real ORT session", () => {
  test("the Identity model's signature has every datatype, with symbolic N as -1", () => {
    for (const datatype of OIP_DATATYPES) {
      expect(signature.inputs).toContainEqual({ name: `in_${datatype}`, datatype, shape: [-1, 2] });
      expect(signature.outputs).toContainEqual({ name: `out_${datatype}`, datatype, shape: [-1, 2] });
    }
  });

  test.each(OIP_DATATYPES.map((d) => [d]))("%s survives JSON → ORT → JSON unchanged", async (datatype) => {
    const inputs = signature.inputs.map((spec) => ({
      name: spec.name,
      datatype: spec.datatype,
      shape: spec.name === "scalar" ? [] : spec.name === "norank" ? [1] : [2, 2],
      data: spec.name === "scalar" || spec.name === "norank" ? [0] : json[spec.datatype],
    }));
    const request = decodeInferRequest({ inputs, outputs: [{ name: `out_${datatype}` }] }, signature, { maxBatch: 8, allowNonFinite: true });
    const outputs = await runHostTensors(session, request.inputs, request.outputs);
    const response = JSON.parse(JSON.stringify(encodeInferResponse({ modelName: "identity", outputs })));
    const expected = datatype === "UINT64" ? ["0", "1", "9007199254740991", "18446744073709551615"] : json[datatype];
    expect(response.outputs).toEqual([{ name: `out_${datatype}`, datatype, shape: [2, 2], data: expected }]);
  });

  test("scalars and undeclared-rank tensors keep their shapes", async () => {
    const feeds = feedsWith({
      norank: { datatype: "FP32", shape: [3, 1, 1], data: new Float32Array([1, 2, 3]) },
      scalar: { datatype: "FP32", shape: [], data: new Float32Array([7]) },
    });
    const result = await session.run(feeds, ["norank_out", "scalar_out", "out_BYTES"]);
    expect(fromOrtTensor(result.norank_out!)).toEqual({ datatype: "FP32", shape: [3, 1, 1], data: new Float32Array([1, 2, 3]) });
    expect(fromOrtTensor(result.scalar_out!)).toEqual({ datatype: "FP32", shape: [], data: new Float32Array([7]) });
    expect(fromOrtTensor(result.out_BYTES!)).toEqual({ datatype: "BYTES", shape: [0, 2], data: [] });
  });

  test("FP16 outputs arrive as Float16Array under Bun and leave as Uint16Array bits", async () => {
    const half: HostTensor = { datatype: "FP16", shape: [1, 2], data: new Uint16Array([0x3c00, 0xc000]) };
    const raw = await session.run(feedsWith({ in_FP16: half }), ["out_FP16"]);
    expect(raw.out_FP16!.data.constructor.name).toBe(typeof Float16Array === "undefined" ? "Uint16Array" : "Float16Array");
    expect(fromOrtTensor(raw.out_FP16!)).toEqual(half);
  });
});

describe("toOrtTensor guards the worker boundary", () => {
  test("data whose container does not match the datatype", () => {
    expect(() => toOrtTensor(ort, { datatype: "FP32", shape: [1], data: new Float64Array(1) })).toThrow(/does not match datatype FP32/);
    expect(() => toOrtTensor(ort, { datatype: "BYTES", shape: [1], data: new Uint8Array(1) })).toThrow(/does not match/);
  });

  test("data whose length does not match the shape", () => {
    expect(() => toOrtTensor(ort, { datatype: "INT64", shape: [2, 2], data: new BigInt64Array(3) })).toThrow(/shape \[2,2\]/);
  });

  test("BOOL travels as Uint8Array and becomes an ORT bool tensor", () => {
    const t = toOrtTensor(ort, { datatype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) });
    expect([t.type, t.dims, Array.from(t.data as Uint8Array)]).toEqual(["bool", [2], [1, 0]]);
  });
});

test("onnxruntime-web cuts strings at U+0000, which is why the decoder refuses them", async () => {
  const raw = await session.run(feedsWith({ in_BYTES: { datatype: "BYTES", shape: [1, 2], data: ["a\u0000b", "ok"] } }), ["out_BYTES"]);
  expect(raw.out_BYTES!.data).toEqual(["a", "ok"]);
});

describe("fromOrtTensor", () => {
  test("refuses ORT types with no OIP datatype", () => {
    // ORT stores int4 in a Uint8Array at run time, whatever its typings say.
    const int4 = new ort.Tensor("int4", new Uint8Array([1, 2]) as unknown as Int8Array, [2]);
    expect(() => fromOrtTensor(int4)).toThrow(/int4 has no Open Inference Protocol datatype/);
  });
});

/** ORT tensors for every Identity input: empty batches, except the ones given. */
function feedsWith(given: Record<string, HostTensor>): Record<string, ort.Tensor> {
  const empty = Object.fromEntries(
    OIP_DATATYPES.map((d): [string, HostTensor] => [`in_${d}`, { datatype: d, shape: [0, 2], data: allocateTensorData(d, 0) }]),
  );
  const all: Record<string, HostTensor> = {
    ...empty,
    norank: { datatype: "FP32", shape: [1], data: new Float32Array(1) },
    scalar: { datatype: "FP32", shape: [], data: new Float32Array(1) },
    ...given,
  };
  return Object.fromEntries(Object.entries(all).map(([name, t]) => [name, toOrtTensor(ort, t)]));
}
