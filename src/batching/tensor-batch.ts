/**
 * Open Inference Protocol requests as rows of one batch: inputs joined along the first (batch)
 * dimension, outputs cut back into each request's own rows.
 */
import type { HostTensor, TensorData } from "../inference/tensor.ts";

/** One inference request as the model instance receives it. */
export interface TensorRequest {
  inputs: Record<string, HostTensor>;
  outputs: string[];
}

/** The batch dimension of a request, or undefined when its inputs disagree on it (it runs alone). */
export function batchRows(request: TensorRequest): number | undefined {
  let rows: number | undefined;
  for (const name in request.inputs) {
    const first = request.inputs[name]!.shape[0];
    if (first === undefined || (rows !== undefined && first !== rows)) return undefined;
    rows = first;
  }
  return rows;
}

/**
 * What requests must share to be joined: the outputs they ask for, and each input's datatype and
 * shape past the first dimension. Built for every request that may batch, so without sorting or
 * copying in the usual case of one input and one output list in order.
 */
export function batchKey(request: TensorRequest): string {
  const names = Object.keys(request.inputs);
  if (!inOrder(names)) names.sort();
  let key = "";
  for (const name of names) {
    const { datatype, shape } = request.inputs[name]!;
    key += `${name}:${datatype}:`;
    for (let dim = 1; dim < shape.length; dim++) key += dim === 1 ? `${shape[dim]}` : `x${shape[dim]}`;
    key += ",";
  }
  const { outputs } = request;
  return `${key}|${inOrder(outputs) ? outputs.join(",") : [...outputs].sort().join(",")}`;
}

function inOrder(names: readonly string[]): boolean {
  for (let index = 1; index < names.length; index++) if (names[index - 1]! > names[index]!) return false;
  return true;
}

function concatData(parts: TensorData[]): TensorData {
  const first = parts[0]!;
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new (first.constructor as new (length: number) => Exclude<TensorData, string[]>)(total);
  let offset = 0;
  for (const part of parts as Exclude<TensorData, string[]>[]) {
    (joined as Float64Array).set(part as unknown as Float64Array, offset);
    offset += part.length;
  }
  return joined;
}

/** The requests' inputs joined along the first dimension (alike requests: same batchKey). */
export function joinInputs(requests: TensorRequest[]): Record<string, HostTensor> {
  const joined: Record<string, HostTensor> = {};
  for (const [name, tensor] of Object.entries(requests[0]!.inputs)) {
    const parts = requests.map((request) => request.inputs[name]!);
    const rows = parts.reduce((sum, part) => sum + part.shape[0]!, 0);
    joined[name] = { datatype: tensor.datatype, shape: [rows, ...tensor.shape.slice(1)], data: concatData(parts.map((part) => part.data)) };
  }
  return joined;
}

/** The outputs did not come back with one row per input row: the model is not batchable after all. */
export class UnsplittableOutputError extends Error {
  override readonly name = "UnsplittableOutputError";
}

/** Cuts a batch's outputs into each request's rows, in order (`rows[i]` rows for request i). */
export function splitOutputs(outputs: Record<string, HostTensor>, rows: number[]): Record<string, HostTensor>[] {
  const total = rows.reduce((sum, count) => sum + count, 0);
  const answers: Record<string, HostTensor>[] = rows.map(() => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    if (tensor.shape[0] !== total) {
      throw new UnsplittableOutputError(`output "${name}" has ${tensor.shape[0] ?? "no"} rows for ${total} input rows`);
    }
    const rowSize = tensor.shape.slice(1).reduce((product, dim) => product * dim, 1);
    let start = 0;
    for (const [index, count] of rows.entries()) {
      const data = tensor.data.slice(start * rowSize, (start + count) * rowSize) as TensorData;
      answers[index]![name] = { datatype: tensor.datatype, shape: [count, ...tensor.shape.slice(1)], data };
      start += count;
    }
  }
  return answers;
}
