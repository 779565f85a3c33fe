import { readFile } from "node:fs/promises";

/** A model file that cannot be used; the message names the file relative to the models folder. */
export class ModelFileError extends Error {
  override readonly name = "ModelFileError";
}

/**
 * Reads a model file, turning file-system failures into messages that name the file as the
 * client knows it (`shown`) rather than its host path.
 */
export async function readModelFile(path: string, shown: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "does not exist" : code === "EACCES" || code === "EPERM" ? "cannot be read (permission denied)" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? "I/O error"})`;
    throw new ModelFileError(`${shown} ${reason}`);
  }
  if (bytes.byteLength === 0) throw new ModelFileError(`${shown} is empty (0 bytes)`);
  return bytes;
}

/** Recognises text files saved under a model's name (an HTML error page, a Git LFS pointer, …). */
export function describeNonModelBytes(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "it is an HTML page, not a model";
  if (head.startsWith("version https://git-lfs")) return "it is a Git LFS pointer; run `git lfs pull` to fetch the real file";
  if (head.startsWith("{") || head.startsWith("[")) return "it is a JSON document, not an ONNX model";
  return undefined;
}
