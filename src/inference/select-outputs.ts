/**
 * The `outputs` list of an OIP inference request → names to fetch. Absent means every output the
 * model can return; outputs that exist but cannot be returned (ZipMap's seq(map)) are refused
 * with the reason, never dropped silently.
 */
import type { ModelSignature } from "./tensor.ts";
import { decodeParameters } from "./decode-parameters.ts";
import { describeJsonType, InferenceRequestError, quoteName, quoteNames } from "./inference-error.ts";

/**
 * Returns the output names to fetch, in the order requested. An absent or empty list means every
 * returnable output (as Triton does).
 * Output parameters are validated; `binary_data` is read by binaryOutputNames (binary tensor data
 * extension), `classification` is refused.
 *
 * @example
 * selectOutputs([{ name: "label" }], signature); // ["label"]
 * selectOutputs(undefined, signature);           // every returnable output
 */
export function selectOutputs(raw: unknown, signature: ModelSignature): string[] {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    if (signature.outputs.length === 0) {
      const reasons = signature.unsupportedOutputs.map((o) => o.reason).join(" ");
      throw new InferenceRequestError(`This model has no output that can be returned. ${reasons}`.trim());
    }
    return signature.outputs.map((spec) => spec.name);
  }
  if (!Array.isArray(raw)) throw new InferenceRequestError(`"outputs" must be an array, got ${describeJsonType(raw)}`);
  const available = new Set(signature.outputs.map((spec) => spec.name));
  const unsupported = new Map(signature.unsupportedOutputs.map((o) => [o.name, o.reason]));
  const names: string[] = [];
  raw.forEach((output: unknown, index) => {
    if (typeof output !== "object" || output === null || Array.isArray(output)) {
      throw new InferenceRequestError(`outputs[${index}] must be an object, got ${describeJsonType(output)}`);
    }
    const { name, parameters } = output as Record<string, unknown>;
    if (typeof name !== "string" || name === "") throw new InferenceRequestError(`outputs[${index}] needs a "name" string`);
    const reason = unsupported.get(name);
    if (reason !== undefined) throw new InferenceRequestError(`Output ${quoteName(name)} cannot be returned: ${reason}`);
    if (!available.has(name)) {
      const known = quoteNames(signature.outputs.map((spec) => spec.name));
      throw new InferenceRequestError(`Unknown output ${quoteName(name)}; the model's outputs are ${known}`);
    }
    if (names.includes(name)) throw new InferenceRequestError(`Output ${quoteName(name)} is requested more than once`);
    if (parameters !== undefined && decodeParameters(parameters, `Output ${quoteName(name)} "parameters"`).classification !== undefined) {
      throw new InferenceRequestError(`Output ${quoteName(name)}: the classification extension is not supported`);
    }
    names.push(name);
  });
  return names;
}
