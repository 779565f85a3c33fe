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
    throw new ModelFileError(`${shown} ${describeFsError(error)}`);
  }
  if (bytes.byteLength === 0) throw new ModelFileError(`${shown} is empty (0 bytes)`);
  return bytes;
}

/** What a failed file-system call means, in words (without the path). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied)";
  if (code === "EISDIR") return "is a folder, not a file";
  return `cannot be read (${code ?? "I/O error"})`;
}

/** Recognises text files saved under a model's name (an HTML error page, a Git LFS pointer, …). */
export function describeNonModelBytes(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "it is an HTML page, not a model";
  if (head.startsWith("version https://git-lfs")) return "it is a Git LFS pointer; run `git lfs pull` to fetch the real file";
  if (head.startsWith("{") || head.startsWith("[")) return "it is a JSON document, not an ONNX model";
  return undefined;
}
