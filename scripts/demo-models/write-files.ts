/**
 * Writes generated files below one folder and nowhere else: every path must stay inside it
 * (no absolute paths, no "..").
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { GeneratedFile } from "./generated-file.ts";

/** What was written: relative path, size in bytes, sha256 in hex. */
export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

/** sha256 of some bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Resolves `path` below `outDir`, refusing anything that would land outside it. */
export function targetPath(outDir: string, path: string): string {
  const root = resolve(outDir);
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (isAbsolute(path) || rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) {
    throw new Error(`refusing to write outside the output folder: ${path}`);
  }
  return target;
}

/** Writes every file (creating folders as needed) and reports size and hash of each. */
export function writeGeneratedFiles(outDir: string, files: GeneratedFile[]): WrittenFile[] {
  const targets = files.map((f) => targetPath(outDir, f.path)); // validate all before writing any
  return files.map((file, i) => {
    const target = targets[i] as string;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
    return { path: file.path, size: file.bytes.length, sha256: sha256Hex(file.bytes) };
  });
}
