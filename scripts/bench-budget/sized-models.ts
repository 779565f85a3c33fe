/**
 * ONNX models of chosen sizes for memory-budget figures and tests: one big FP32 initializer
 * `table` [n] and `y = Gather(table, index)`, so a request is tiny (an INT64 index in, one float
 * out) while the model holds its whole size in the runtime. Every entry of a model's table holds
 * that model's `value`, so an answer shows which model gave it.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { onnx } from "onnx-proto";

/** A model written by {@link writeSizedModels}. */
export interface SizedModelFile {
  name: string;
  /** Size of its table, MiB. */
  mib: number;
  /** Bytes of its file. */
  bytes: number;
  /** What every answer of this model is. */
  value: number;
  /** Entries in its table (valid indexes are 0 … entries - 1). */
  entries: number;
}

/**
 * The graph bytes of a model whose table takes `mib` MiB and holds `value` everywhere.
 *
 * @example
 * const bytes = gatherModel(40, 3); // about 40 MiB; every answer is 3
 */
export function gatherModel(mib: number, value: number): Uint8Array {
  const entries = Math.round((mib * 2 ** 20) / 4);
  const table = new Float32Array(entries).fill(value);
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 13 }],
      producerName: "model-cache bench-budget",
      graph: {
        name: `sized_${mib}mib`,
        node: [{ opType: "Gather", input: ["table", "index"], output: ["y"], attribute: [{ name: "axis", type: 2, i: 0 }] }],
        initializer: [{ name: "table", dataType: 1, dims: [entries], rawData: new Uint8Array(table.buffer) }],
        input: [{ name: "index", type: { tensorType: { elemType: 7, shape: { dim: [{ dimValue: 1 }] } } } }],
        output: [{ name: "y", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } }],
      },
    }),
  ).finish();
}

/**
 * Writes one model per size into `dir` as `sized-<i>-<mib>mib.onnx` (values 1, 2, …) and
 * returns what was written.
 *
 * @example
 * const models = await writeSizedModels(dir, [40, 44, 48, 52, 56]);
 */
export async function writeSizedModels(dir: string, sizes: number[]): Promise<SizedModelFile[]> {
  const written: SizedModelFile[] = [];
  for (const [index, mib] of sizes.entries()) {
    const name = `sized-${index + 1}-${mib}mib`;
    const value = index + 1;
    const bytes = gatherModel(mib, value);
    await writeFile(join(dir, `${name}.onnx`), bytes);
    written.push({ name, mib, bytes: bytes.byteLength, value, entries: Math.round((mib * 2 ** 20) / 4) });
  }
  return written;
}

/** The Open Inference Protocol request body that asks `model` for entry `index`. */
export function gatherRequest(index: number): unknown {
  return { inputs: [{ name: "index", datatype: "INT64", shape: [1], data: [index] }] };
}
