/**
 * Errors of the Open Inference Protocol codec. The HTTP layer renders an
 * {@link InferenceRequestError} on /v2 routes as the OIP error body `{ "error": message }`.
 */
import { AppError, BadRequestError } from "../errors/app-error.ts";

/**
 * 400: an inference request that cannot be run (missing input, wrong datatype, bad shape, ...).
 * Messages name inputs and element indexes but never quote tensor values.
 *
 * @example
 * throw new InferenceRequestError('Input "X" is missing');
 */
export class InferenceRequestError extends BadRequestError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "invalid_inference_request", options);
  }
}

/**
 * 422: a model whose inputs cannot be fed from JSON at all (a non-tensor input such as a map,
 * or a tensor type with no OIP datatype such as int4). Raised when its signature is built.
 *
 * @example
 * throw new UnsupportedModelError('Input "features" is not a tensor');
 */
export class UnsupportedModelError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(422, "unsupported_model", message, options);
  }
}

const MAX_QUOTED_NAME = 64;

/**
 * Quotes a tensor name for an error message: JSON-escaped and cut to 64 characters, because names
 * in a request come from the client and messages must stay short and printable.
 *
 * @example
 * quoteName("age"); // '"age"'
 */
export function quoteName(name: string): string {
  const short = name.length > MAX_QUOTED_NAME ? `${name.slice(0, MAX_QUOTED_NAME - 3)}...` : name;
  return JSON.stringify(short);
}

const MAX_LISTED_NAMES = 10;

/**
 * Quotes a list of names for a message, at most 10 of them, so that a model with hundreds of
 * inputs does not produce a page-long error.
 *
 * @example
 * quoteNames(["X", "Y"]); // '"X", "Y"'
 */
export function quoteNames(names: readonly string[]): string {
  const listed = names.slice(0, MAX_LISTED_NAMES).map(quoteName).join(", ");
  return names.length > MAX_LISTED_NAMES ? `${listed} and ${names.length - MAX_LISTED_NAMES} more` : listed;
}

/**
 * Names the JSON type of a value for an error message, without showing the value itself.
 *
 * @example
 * describeJsonType(3); // "a number"
 */
export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "undefined":
      return "nothing";
    default:
      return "an object";
  }
}
