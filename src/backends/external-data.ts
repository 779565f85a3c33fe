import { realpath } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { isSafeRelativePath } from "../discovery/manifest.ts";
import type { ExternalDataRef } from "../onnx/scan-onnx-model.ts";
import { ModelFileError, readModelFile } from "./read-model-file.ts";

/** One external-data file, as onnxruntime-web's `externalData` session option wants it. */
export interface ExternalDataFile {
  path: string;
  data: ArrayBuffer;
}

/**
 * Reads the external-data files an ONNX model names. Each location must be a relative path
 * inside the model file's folder: `../x`, absolute paths and links that lead outside are refused
 * before anything is read.
 */
export async function readExternalData(modelPath: string, refs: ExternalDataRef[], shown: string): Promise<ExternalDataFile[]> {
  const folder = dirname(modelPath);
  const realFolder = await realpath(folder);
  const locations = [...new Set(refs.map((ref) => ref.location))];
  const files: ExternalDataFile[] = [];
  for (const location of locations) {
    const normalised = location.replace(/^\.\//, "");
    if (!isSafeRelativePath(normalised)) {
      throw new ModelFileError(`${shown} names external data "${location}" outside its folder; refused`);
    }
    const path = join(folder, ...normalised.split("/"));
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined) throw new ModelFileError(`${shown} needs external data file "${location}", which is missing`);
    if (!real.startsWith(realFolder + sep)) {
      throw new ModelFileError(`${shown} names external data "${location}" that links outside its folder; refused`);
    }
    const bytes = await readModelFile(real, `external data "${location}"`);
    files.push({ path: location, data: toArrayBuffer(bytes) });
  }
  return files;
}

/** The bytes as a standalone ArrayBuffer that can be transferred to a worker. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}
