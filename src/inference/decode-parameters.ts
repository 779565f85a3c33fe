/**
 * OIP `parameters` objects: name → string | number | boolean. None are standard; they are
 * checked for shape and passed through.
 */
import { describeJsonType, InferenceRequestError } from "./inference-error.ts";

/** An OIP parameters object. */
export type InferParameters = Record<string, string | number | boolean>;

/**
 * Validates a parameters object; `where` says whose parameters they are, for the message.
 *
 * @example
 * decodeParameters({ priority: 1 }, '"parameters"'); // { priority: 1 }
 */
export function decodeParameters(raw: unknown, where: string): InferParameters {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InferenceRequestError(`${where} must be an object, got ${describeJsonType(raw)}`);
  }
  for (const value of Object.values(raw)) {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new InferenceRequestError(`${where} values must be strings, numbers or booleans, got ${describeJsonType(value)}`);
    }
  }
  return raw as InferParameters;
}
