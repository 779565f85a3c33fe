/**
 * Which outputs go back as binary data: the request's `binary_data_output` parameter sets the
 * default, an output's own `binary_data` parameter overrides it (binary tensor data extension).
 */
import type { InferParameters } from "../decode-parameters.ts";
import { describeJsonType, InferenceRequestError, quoteName } from "../inference-error.ts";

/**
 * The names among `names` to return as binary. `rawOutputs` is the request's `outputs` list,
 * already checked by selectOutputs (objects with a name, parameters of scalar values).
 *
 * @example
 * binaryOutputNames([{ name: "y", parameters: { binary_data: true } }], undefined, ["y"]); // Set { "y" }
 */
export function binaryOutputNames(rawOutputs: unknown, requestParameters: InferParameters | undefined, names: string[]): Set<string> {
  const fallback = flag(requestParameters?.binary_data_output, '"parameters" binary_data_output') ?? false;
  const own = new Map<string, boolean>();
  if (Array.isArray(rawOutputs)) {
    for (const output of rawOutputs as { name: string; parameters?: InferParameters }[]) {
      const value = flag(output.parameters?.binary_data, `Output ${quoteName(output.name)} parameter binary_data`);
      if (value !== undefined) own.set(output.name, value);
    }
  }
  return new Set(names.filter((name) => own.get(name) ?? fallback));
}

function flag(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new InferenceRequestError(`${where} must be true or false, got ${describeJsonType(value)}`);
}
