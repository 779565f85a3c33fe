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
  inputs.forEach((input: unknown, index) => {
    const name = inputName(input, index);
    const spec = specs.get(name);
    if (!spec) {
      throw new InferenceRequestError(
        `Unknown input ${quoteName(name)}; the model's inputs are ${quoteNames(signature.inputs.map((s) => s.name))}`,
      );
    }
    if (decoded.has(name)) throw new InferenceRequestError(`Input ${quoteName(name)} is given more than once`);
    decoded.set(name, decodeInput(input as Record<string, unknown>, spec, options));
  });
  for (const spec of signature.inputs) {
    if (!decoded.has(spec.name)) throw new InferenceRequestError(`Input ${quoteName(spec.name)} is missing`);
  }

  const request: InferRequest = {
    inputs: Object.fromEntries(decoded),
    outputs: selectOutputs(outputs, signature),
  };
  if (id !== undefined) request.id = id;
  if (parameters !== undefined) request.parameters = decodeParameters(parameters, '"parameters"');
  return request;
}

function inputName(input: unknown, index: number): string {
  if (!isPlainObject(input)) throw new InferenceRequestError(`inputs[${index}] must be an object, got ${describeJsonType(input)}`);
  if (typeof input.name !== "string" || input.name === "") {
    throw new InferenceRequestError(`inputs[${index}] needs a "name" string`);
  }
  return input.name;
}

function decodeInput(input: Record<string, unknown>, spec: TensorSpec, options: DecodeInferRequestOptions): HostTensor {
  const name = quoteName(spec.name);
  const { datatype, data } = input;
  if (!isOipDatatype(datatype)) {
    throw new InferenceRequestError(
      `Input ${name}: datatype must be one of ${OIP_DATATYPES.join(", ")}, got ${typeof datatype === "string" ? "an unknown name" : describeJsonType(datatype)}`,
    );
  }
  if (datatype !== spec.datatype) {
    throw new InferenceRequestError(`Input ${name} has datatype ${datatype}, but the model expects ${spec.datatype}`);
  }
  if (input.parameters !== undefined) {
    const parameters = decodeParameters(input.parameters, `Input ${name} "parameters"`);
    if (parameters.binary_data_size !== undefined) {
      throw new InferenceRequestError(`Input ${name}: binary tensor data is not supported; send "data" as JSON`);
    }
  }
  const shape = decodeShape(input.shape, spec.name);
  checkShapeFitsSpec(shape, spec, options.maxBatch);
  const values = flattenData(data, shape, spec.name);
  const allowNonFinite = isFloatDatatype(datatype) && allowsNonFinite(options.allowNonFinite, spec.name);
  return { datatype, shape, data: decodeElements(datatype, values, { inputName: spec.name, allowNonFinite }) };
}

function allowsNonFinite(option: DecodeInferRequestOptions["allowNonFinite"], name: string): boolean {
  if (option === undefined || typeof option === "boolean") return option === true;
  return option.has(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
