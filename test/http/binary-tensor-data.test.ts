/**
 * Triton's binary tensor data extension over real HTTP, on real models: requests built byte by
 * byte from the protocol's description (binary-bytes.ts), round trips of every datatype through
 * an ONNX Identity graph, the BYTES text classifiers, and every malformed case as a 400.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { serveModels } from "../helpers/serve-models.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { identityModelBytes } from "../inference/identity-model.ts";
import { OIP_DATATYPES } from "../../src/inference/datatypes.ts";
import type { OipDatatype } from "../../src/inference/tensor.ts";
import { binaryBody, bytesElements, concat, le, le64, readBinaryResponse } from "../inference/binary/binary-bytes.ts";

const MAX_BODY_BYTES = 65_536;
const served = serveModels(
  {
    "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
    "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
    "identity.onnx": identityModelBytes(),
  },
  { MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
);

/** POSTs a binary-extension body (or any bytes) with the header, when given. */
function post(path: string, body: Uint8Array | string, headerLength?: string, headers: Record<string, string> = {}) {
  return fetch(`${served.svc.url}${path}`, {
    method: "POST",
    body: body as BodyInit,
    headers: { "content-type": "application/octet-stream", ...(headerLength !== undefined && { "inference-header-content-length": headerLength }), ...headers },
  });
}

/** Four elements of each datatype, as little-endian bytes (2×2 tensors). */
const SAMPLES: Record<OipDatatype, Uint8Array> = {
  BOOL: new Uint8Array([1, 0, 0, 1]),
  UINT8: le("u8", [0, 1, 254, 255]),
  UINT16: le("u16", [0, 1, 65534, 65535]),
  UINT32: le("u32", [0, 1, 4294967294, 4294967295]),
  UINT64: le64("u64", [0n, 1n, 2n ** 53n + 1n, 2n ** 64n - 1n]),
  INT8: le("i8", [-128, -1, 0, 127]),
  INT16: le("i16", [-32768, -1, 0, 32767]),
  INT32: le("i32", [-(2 ** 31), -1, 0, 2 ** 31 - 1]),
  INT64: le64("i64", [-(2n ** 63n), -1n, 2n ** 53n + 1n, 2n ** 63n - 1n]),
  FP16: le("u16", [0x3c00, 0xc000, 0x7bff, 0x0001]),
  FP32: le("f32", [0.1, -2.5, 3.4e38, 1e-45]),
  FP64: le("f64", [0.1, -2.5, 1e300, 5e-324]),
  BYTES: bytesElements(["a", "", "naïve café", "☕ coffee"]),
};

/** One input per datatype (plus the two FP32 pass-throughs), all binary. */
function identityInputs() {
  const inputs = OIP_DATATYPES.map((datatype) => ({
    name: `in_${datatype}`,
    datatype,
    shape: [2, 2],
    parameters: { binary_data_size: SAMPLES[datatype].byteLength },
  }));
  inputs.push(
    { name: "norank", datatype: "FP32", shape: [3], parameters: { binary_data_size: 12 } },
    { name: "scalar", datatype: "FP32", shape: [], parameters: { binary_data_size: 4 } },
  );
  const bytes = [...OIP_DATATYPES.map((datatype) => SAMPLES[datatype]), le("f32", [1, 2, 3]), le("f32", [42])];
  return { inputs, bytes };
}

describe("round trips of every datatype through an Identity graph", () => {
  test("binary in, binary out (binary_data_output): every output's bytes equal its input's", async () => {
    const { inputs, bytes } = identityInputs();
    const { body, headerLength } = binaryBody({ id: "all", inputs, parameters: { binary_data_output: true } }, ...bytes);
    const response = await post("/v2/models/identity/infer", body, headerLength, { "x-request-id": "round-trip-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("x-request-id")).toBe("round-trip-1");
    const { json, binary } = await readBinaryResponse(response);
    expect(json.id).toBe("all");
    let offset = 0;
    const expected = new Map(inputs.map((input, i) => [input.name.replace(/^in_/, "out_").replace(/^(norank|scalar)$/, "$1_out"), bytes[i]!]));
    for (const output of json.outputs) {
      expect(output.data).toBeUndefined();
      const size = output.parameters.binary_data_size;
      expect([output.name, binary.subarray(offset, offset + size)]).toEqual([output.name, expected.get(output.name)!]);
      offset += size;
    }
    expect(json.outputs).toHaveLength(OIP_DATATYPES.length + 2);
    expect(offset).toBe(binary.byteLength);
  });

  test("binary in, JSON out: the values the bytes hold", async () => {
    const { inputs, bytes } = identityInputs();
    const { body, headerLength } = binaryBody({ inputs, outputs: ["out_BOOL", "out_INT64", "out_UINT64", "out_FP16", "out_BYTES", "scalar_out"].map((name) => ({ name })) }, ...bytes);
    const response = await post("/v2/models/identity/infer", body, headerLength);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect(response.headers.get("inference-header-content-length")).toBeNull();
    const json = (await response.json()) as { outputs: { name: string; data: unknown[] }[] };
    expect(Object.fromEntries(json.outputs.map((o) => [o.name, o.data]))).toEqual({
      out_BOOL: [true, false, false, true],
      out_INT64: ["-9223372036854775808", "-1", "9007199254740993", "9223372036854775807"],
      out_UINT64: ["0", "1", "9007199254740993", "18446744073709551615"],
      out_FP16: [1, -2, 65504, 2 ** -24],
      out_BYTES: ["a", "", "naïve café", "☕ coffee"],
      scalar_out: [42],
    });
  });

  test("JSON in, binary out per output (binary_data overrides binary_data_output)", async () => {
    const inputs = OIP_DATATYPES.map((datatype) => ({
      name: `in_${datatype}`,
      datatype,
      shape: [1, 2],
      data: { BOOL: [true, false], BYTES: ["x", "yz"], FP16: [1, -2], FP32: [0.5, 2], FP64: [0.1, 3] }[datatype as string] ?? [1, 2],
    }));
    inputs.push({ name: "norank", datatype: "FP32", shape: [1], data: [0] }, { name: "scalar", datatype: "FP32", shape: [], data: [7] });
    const body = JSON.stringify({
      inputs,
      parameters: { binary_data_output: true },
      outputs: [
        { name: "out_FP16", parameters: { binary_data: true } },
        { name: "out_BYTES" },
        { name: "out_FP64", parameters: { binary_data: false } },
        { name: "out_BOOL" },
      ],
    });
    const response = await post("/v2/models/identity/infer", body);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    const { json, binary } = await readBinaryResponse(response);
    expect(json.outputs.map((o: { name: string; data?: unknown; parameters?: unknown }) => [o.name, o.data ?? o.parameters])).toEqual([
      ["out_FP16", { binary_data_size: 4 }],
      ["out_BYTES", { binary_data_size: 11 }],
      ["out_FP64", [0.1, 3]],
      ["out_BOOL", { binary_data_size: 2 }],
    ]);
    expect(binary).toEqual(concat([le("u16", [0x3c00, 0xc000]), bytesElements(["x", "yz"]), new Uint8Array([1, 0])]));
  });
});

describe("real models over the binary extension", () => {
  const IRIS_ROWS = [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3];

  test("iris: FP32 bytes in, INT64 labels and FP32 probabilities out, equal to the JSON answer", async () => {
    const json = (await (await post("/v2/models/iris_classifier/infer", JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: IRIS_ROWS }] }))).json()) as any;
    const { body, headerLength } = binaryBody(
      { inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], parameters: { binary_data_size: 32 } }], parameters: { binary_data_output: true } },
      le("f32", IRIS_ROWS),
    );
    const { json: header, binary } = await readBinaryResponse(await post("/v2/models/iris_classifier/infer", body, headerLength));
    expect(header.outputs.map((o: any) => [o.name, o.datatype, o.shape, o.parameters.binary_data_size])).toEqual([
      ["label", "INT64", [2], 16],
      ["probabilities", "FP32", [2, 3], 24],
    ]);
    const view = new DataView(binary.buffer, binary.byteOffset, binary.byteLength);
    expect([view.getBigInt64(0, true), view.getBigInt64(8, true)]).toEqual([0n, 2n]);
    expect(json.outputs[0].data).toEqual([0, 2]);
    const probabilities = Array.from({ length: 6 }, (_, i) => view.getFloat32(16 + 4 * i, true));
    expect(probabilities).toEqual(json.outputs[1].data);
  });

  test("a BYTES text classifier: texts in as length-prefixed UTF-8, labels out the same way", async () => {
    const texts = ["I love this phone, it is great", "Terrible battery, I hate it"];
    const { body, headerLength } = binaryBody(
      {
        inputs: [{ name: "text", datatype: "BYTES", shape: [2], parameters: { binary_data_size: bytesElements(texts).byteLength } }],
        outputs: [{ name: "label", parameters: { binary_data: true } }, { name: "score" }],
      },
      bytesElements(texts),
    );
    const { json, binary } = await readBinaryResponse(await post("/v2/models/sentiment-distilbert/infer", body, headerLength));
    expect(binary).toEqual(bytesElements(["POSITIVE", "NEGATIVE"]));
    expect(json.outputs[0].parameters).toEqual({ binary_data_size: binary.byteLength });
    expect(json.outputs[1].data).toHaveLength(2);
  });

  test("the versioned route takes binary data too", async () => {
    const { body, headerLength } = binaryBody({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], parameters: { binary_data_size: 16 } }] }, le("f32", IRIS_ROWS.slice(0, 4)));
    const response = await post("/v2/models/iris_classifier/versions/1.0.0/infer", body, headerLength);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).outputs[0].data).toEqual([0]);
  });
});

describe("malformed binary requests: 400 with a message, and the model still serves", () => {
  const iris = (size: unknown, extra: Record<string, unknown> = {}) => ({
    inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], parameters: { binary_data_size: size }, ...extra }],
  });
  const four = le("f32", [5.1, 3.5, 1.4, 0.2]);
  const head = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));

  const cases: [string, () => { body: Uint8Array | string; header?: string }, RegExp][] = [
    ["a header length past the end of the body", () => ({ body: concat([head(iris(16)), four]), header: "100000" }), /past the end of the \d+-byte body/],
    ["a negative header", () => ({ body: concat([head(iris(16)), four]), header: "-1" }), /must be a non-negative whole number of bytes, got "-1"/],
    ["a non-numeric header", () => ({ body: concat([head(iris(16)), four]), header: "twelve" }), /got "twelve"/],
    ["a header that cuts the JSON short", () => ({ body: concat([head(iris(16)), four]), header: "5" }), /not valid JSON|not valid UTF-8/],
    ["a header of 0 (no JSON at all)", () => ({ body: concat([head(iris(16)), four]), header: "0" }), /not valid JSON|Invalid request body/],
    ["sizes that add up to less than the bytes sent", () => ({ ...binaryBody(iris(16), four, new Uint8Array(4)), header: binaryBody(iris(16), four, new Uint8Array(4)).headerLength }), /4 bytes of binary data that no input's binary_data_size accounts for/],
    ["a size past the bytes sent", () => ({ body: binaryBody(iris(32), four).body, header: binaryBody(iris(32), four).headerLength }), /binary_data_size 32, but only 16 bytes of binary data are left/],
    ["a size that does not match shape × datatype", () => ({ body: binaryBody(iris(12), four.subarray(0, 12)).body, header: binaryBody(iris(12), four.subarray(0, 12)).headerLength }), /binary_data_size is 12 bytes, but 4 FP32 elements take 16/],
    ["binary data for an input that also has data", () => ({ body: binaryBody(iris(16, { data: [1, 2, 3, 4] }), four).body, header: binaryBody(iris(16, { data: [1, 2, 3, 4] }), four).headerLength }), /has both "data" and binary_data_size/],
    ["a negative binary_data_size", () => ({ body: binaryBody(iris(-16), four).body, header: binaryBody(iris(-16), four).headerLength }), /binary_data_size must be a whole number of bytes, at least 0/],
    ["a binary_data_size that is a string", () => ({ body: binaryBody(iris("16"), four).body, header: binaryBody(iris("16"), four).headerLength }), /binary_data_size must be a whole number/],
    ["binary_data_size without the header", () => ({ body: JSON.stringify(iris(16)) }), /carries no binary data/],
    ["binary bytes without the header", () => ({ body: concat([head(iris(16)), four]) }), /not valid UTF-8|not valid JSON/],
    ["NaN in binary FP32 for a model that does not take it", () => ({ body: binaryBody(iris(16), le("f32", [NaN, 1, 2, 3])).body, header: binaryBody(iris(16), le("f32", [NaN, 1, 2, 3])).headerLength }), /element 0 is NaN or infinite/],
    ["binary_data_output that is not a boolean", () => ({ body: JSON.stringify({ ...iris(0), inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }], parameters: { binary_data_output: "yes" } }) }), /binary_data_output must be true or false/],
    ["binary_data that is not a boolean", () => ({ body: JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }], outputs: [{ name: "label", parameters: { binary_data: 1 } }] }) }), /binary_data must be true or false/],
    ["the classification extension", () => ({ body: JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }], outputs: [{ name: "label", parameters: { classification: 2 } }] }) }), /classification extension is not supported/],
    ["BYTES elements that do not fill the shape", () => {
      const texts = bytesElements(["only one"]);
      const built = binaryBody({ inputs: [{ name: "text", datatype: "BYTES", shape: [2], parameters: { binary_data_size: texts.byteLength } }] }, texts);
      return { body: built.body, header: built.headerLength, model: "sentiment-distilbert" };
    }, /holds 1 BYTES elements, but its shape needs 2/],
  ];
  for (const [name, build, pattern] of cases) {
    test(name, async () => {
      const made = build() as { body: Uint8Array | string; header?: string; model?: string };
      const response = await post(`/v2/models/${made.model ?? "iris_classifier"}/infer`, made.body, made.header);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toStartWith("application/json");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await response.json()) as { error: string };
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error).toMatch(pattern);
    });
  }

  test(`a binary body over MAX_BODY_BYTES is a 413, and the service serves on`, async () => {
    const big = new Uint8Array(MAX_BODY_BYTES);
    const { body, headerLength } = binaryBody(iris(big.byteLength), big);
    const response = await post("/v2/models/iris_classifier/infer", body, headerLength);
    expect(response.status).toBe(413);
    const { body: ok, headerLength: okLength } = binaryBody(iris(16), four);
    expect((await post("/v2/models/iris_classifier/infer", ok, okLength)).status).toBe(200);
  });

  test("the header on a route that is not an infer route is ignored (plain JSON is read)", async () => {
    const response = await post("/api/v1/sentiment", JSON.stringify({ text: "great" }), "3");
    expect(response.status).toBe(200);
  });
});

describe("BF16 inputs: taken for FP32 inputs, widened exactly", () => {
  // 5.1, 3.5, 1.4, 0.2 rounded to the nearest bfloat16, and their bit patterns (little-endian below).
  const ROUNDED = [5.09375, 3.5, 1.3984375, 0.2001953125];
  const BITS = [0x40a3, 0x4060, 0x3fb3, 0x3e4d];
  const bf16Bytes = new Uint8Array(BITS.flatMap((bits) => [bits & 0xff, bits >> 8]));
  const fp32Answer = async () =>
    (await (await post("/v2/models/iris_classifier/infer", JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: ROUNDED }] }))).json()) as any;

  test("binary BF16 elements answer as the FP32 values they are", async () => {
    const { body, headerLength } = binaryBody({ inputs: [{ name: "input", datatype: "BF16", shape: [1, 4], parameters: { binary_data_size: 8 } }] }, bf16Bytes);
    const response = await post("/v2/models/iris_classifier/infer", body, headerLength);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as any;
    expect(answer.outputs).toEqual((await fp32Answer()).outputs);
  });

  test("JSON numbers sent as BF16 are rounded to BF16 (ties to even) first", async () => {
    const body = JSON.stringify({ inputs: [{ name: "input", datatype: "BF16", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] });
    const response = await post("/v2/models/iris_classifier/infer", body);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).outputs).toEqual((await fp32Answer()).outputs);
  });

  test("for an input that is not FP32, or with the wrong number of bytes: 400 saying so", async () => {
    const text = await post("/v2/models/sentiment-distilbert/infer", JSON.stringify({ inputs: [{ name: "text", datatype: "BF16", shape: [1], data: [1] }] }));
    expect(text.status).toBe(400);
    expect(((await text.json()) as any).error).toMatch(/BF16, which is taken only for FP32 inputs.*expects BYTES/);
    const { body, headerLength } = binaryBody({ inputs: [{ name: "input", datatype: "BF16", shape: [1, 4], parameters: { binary_data_size: 6 } }] }, bf16Bytes.slice(0, 6));
    const short = await post("/v2/models/iris_classifier/infer", body, headerLength);
    expect(short.status).toBe(400);
    expect(((await short.json()) as any).error).toMatch(/binary_data_size is 6 bytes, but 4 BF16 elements take 8/);
  });
});
