/**
 * The body of `POST /v2/models/{name}/infer` (Open Inference Protocol) → tensors ready for the
 * model host. Pure: no HTTP, no ORT. Every problem is an {@link InferenceRequestError} (400).
 */
import type { HostTensor, ModelSignature, TensorSpec } from "./tensor.ts";
import { isFloatDatatype, isOipDatatype, OIP_DATATYPES } from "./datatypes.ts";
import { decodeElements } from "./decode-elements.ts";
import { checkShapeFitsSpec, decodeShape } from "./decode-shape.ts";
import { flattenData } from "./flatten-data.ts";
import { decodeParameters, type InferParameters } from "./decode-parameters.ts";
import { selectOutputs } from "./select-outputs.ts";
import { describeJsonType, InferenceRequestError, quoteName, quoteNames } from "./inference-error.ts";
import { decodeBinaryTensor } from "./binary/decode-binary-tensor.ts";
import { binaryOutputNames } from "./binary/binary-outputs.ts";
import { elementCount } from "./decode-shape.ts";
import { BF16, checkBf16Target, roundToBf16 } from "./bfloat16.ts";

/** What the caller knows about the model beyond its signature. */
export interface DecodeInferRequestOptions {
  /** Largest first dimension accepted on inputs whose first dimension is dynamic. */
  maxBatch: number;
  /**
   * Which floating-point inputs may hold NaN/±Infinity (sent as "NaN", "Infinity", "-Infinity"):
   * `true` all of them, a Set the named ones, `false`/absent none. Most models propagate NaN
   * into garbage silently, so the default refuses it; imputing pipelines (skl2onnx SimpleImputer,
   * e.g. titanic's `age`) need it.
   */
  allowNonFinite?: boolean | ReadonlySet<string>;
  /**
   * The bytes after the JSON of a binary-extension request (`Inference-Header-Content-Length`):
   * the data of every input with a `binary_data_size` parameter, in the order of `inputs`.
   */
  binary?: Uint8Array;
}

/** A decoded inference request. */
export interface InferRequest {
  /** The request id, echoed in the response. */
  id?: string;
  /** One tensor per model input, keyed by input name. */
  inputs: Record<string, HostTensor>;
  /** Outputs to fetch, in the order requested (default: every returnable output). */
  outputs: string[];
  /** Request-level parameters, passed through unchanged. */
  parameters?: InferParameters;
  /** Outputs to return as binary data (binary tensor data extension); absent when none. */
  binaryOutputs?: Set<string>;
}

/**
 * Decodes and validates an OIP inference request against a model's signature.
 *
 * @example
 * const request = decodeInferRequest(
 *   { id: "1", inputs: [{ name: "X", datatype: "FP32", shape: [1, 2], data: [5.1, 3.5] }] },
 *   signature,
 *   { maxBatch: 64 },
 * );
 * request.inputs.X.data; // Float32Array [5.1, 3.5]
 */
export function decodeInferRequest(body: unknown, signature: ModelSignature, options: DecodeInferRequestOptions): InferRequest {
  if (!isPlainObject(body)) throw new InferenceRequestError(`The request body must be a JSON object, got ${describeJsonType(body)}`);
  const { id, inputs, outputs, parameters } = body;
  if (id !== undefined && typeof id !== "string") throw new InferenceRequestError(`"id" must be a string, got ${describeJsonType(id)}`);
  if (!Array.isArray(inputs)) throw new InferenceRequestError(`"inputs" must be an array, got ${describeJsonType(inputs)}`);

  const specs = new Map(signature.inputs.map((spec) => [spec.name, spec]));
  const decoded = new Map<string, HostTensor>();
  const binary = new BinaryReader(options.binary);
  inputs.forEach((input: unknown, index) => {
    const name = inputName(input, index);
    const spec = specs.get(name);
    if (!spec) {
      throw new InferenceRequestError(
        `Unknown input ${quoteName(name)}; the model's inputs are ${quoteNames(signature.inputs.map((s) => s.name))}`,
      );
    }
    if (decoded.has(name)) throw new InferenceRequestError(`Input ${quoteName(name)} is given more than once`);
    decoded.set(name, decodeInput(input as Record<string, unknown>, spec, options, binary));
  });
  binary.checkAllRead();
  for (const spec of signature.inputs) {
    if (!decoded.has(spec.name)) throw new InferenceRequestError(`Input ${quoteName(spec.name)} is missing`);
  }

  const request: InferRequest = {
    inputs: Object.fromEntries(decoded),
    outputs: selectOutputs(outputs, signature),
  };
  if (id !== undefined) request.id = id;
  if (parameters !== undefined) request.parameters = decodeParameters(parameters, '"parameters"');
  const binaryOutputs = binaryOutputNames(outputs, request.parameters, request.outputs);
  if (binaryOutputs.size > 0) request.binaryOutputs = binaryOutputs;
  return request;
}

function inputName(input: unknown, index: number): string {
  if (!isPlainObject(input)) throw new InferenceRequestError(`inputs[${index}] must be an object, got ${describeJsonType(input)}`);
  if (typeof input.name !== "string" || input.name === "") {
    throw new InferenceRequestError(`inputs[${index}] needs a "name" string`);
  }
  return input.name;
}

function decodeInput(input: Record<string, unknown>, spec: TensorSpec, options: DecodeInferRequestOptions, binary: BinaryReader): HostTensor {
  const name = quoteName(spec.name);
  const { data } = input;
  // BF16 is taken for an FP32 input and widened exactly (see bfloat16.ts).
  const bf16 = input.datatype === BF16;
  if (bf16) checkBf16Target(spec.name, spec.datatype);
  const datatype = bf16 ? "FP32" : input.datatype;
  if (!isOipDatatype(datatype)) {
    throw new InferenceRequestError(
      `Input ${name}: datatype must be one of ${OIP_DATATYPES.join(", ")}, got ${typeof datatype === "string" ? "an unknown name" : describeJsonType(datatype)}`,
    );
  }
  if (datatype !== spec.datatype) {
    throw new InferenceRequestError(`Input ${name} has datatype ${datatype}, but the model expects ${spec.datatype}`);
  }
  const parameters = input.parameters === undefined ? undefined : decodeParameters(input.parameters, `Input ${name} "parameters"`);
  const shape = decodeShape(input.shape, spec.name);
  checkShapeFitsSpec(shape, spec, options.maxBatch);
  const allowNonFinite = isFloatDatatype(datatype) && allowsNonFinite(options.allowNonFinite, spec.name);
  const context = { inputName: spec.name, allowNonFinite };
  if (parameters?.binary_data_size !== undefined) {
    if (data !== undefined) throw new InferenceRequestError(`Input ${name} has both "data" and binary_data_size; send one or the other`);
    const bytes = binary.take(parameters.binary_data_size, spec.name);
    return { datatype, shape, data: decodeBinaryTensor(bf16 ? BF16 : datatype, bytes, elementCount(shape), context) };
  }
  if (data === undefined) {
    throw new InferenceRequestError(`Input ${name} has no "data" (nor a binary_data_size parameter with binary data after the JSON)`);
  }
  const values = flattenData(data, shape, spec.name);
  const decoded = decodeElements(datatype, values, context);
  return { datatype, shape, data: bf16 ? roundToBf16(decoded as Float32Array) : decoded };
}

/** Hands out consecutive slices of the binary part, one per binary input, and checks it is used up. */
class BinaryReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array | undefined) {}

  take(size: unknown, inputName: string): Uint8Array {
    const name = quoteName(inputName);
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      throw new InferenceRequestError(`Input ${name}: binary_data_size must be a whole number of bytes, at least 0`);
    }
    if (size === 0) return new Uint8Array(0);
    const available = (this.bytes?.byteLength ?? 0) - this.offset;
    if (this.bytes === undefined && size > 0) {
      throw new InferenceRequestError(
        `Input ${name} has binary_data_size ${size}, but the request carries no binary data: send the JSON's length in Inference-Header-Content-Length and the bytes after it`,
      );
    }
    if (size > available) {
      throw new InferenceRequestError(`Input ${name} has binary_data_size ${size}, but only ${available} bytes of binary data are left`);
    }
    const slice = this.bytes!.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  checkAllRead(): void {
    const left = (this.bytes?.byteLength ?? 0) - this.offset;
    if (left > 0) {
      throw new InferenceRequestError(`The request has ${left} bytes of binary data that no input's binary_data_size accounts for`);
    }
  }
}

function allowsNonFinite(option: DecodeInferRequestOptions["allowNonFinite"], name: string): boolean {
  if (option === undefined || typeof option === "boolean") return option === true;
  return option.has(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
