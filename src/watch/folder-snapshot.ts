import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { isInside } from "../discovery/inside-folder.ts";

/** Deepest folder level looked at inside a model folder. */
const MAX_DEPTH = 8;

/** What the models folder looks like at one moment, without reading any file's bytes. */
export interface FolderSnapshot {
  /**
   * A fingerprint of each visible top-level entry (file or folder), by name: size, modification
   * time and inode of every file in it, links followed. Equal fingerprints mean nothing changed.
   */
  entries: Map<string, string>;
  /** Paths (relative to the folder) of links refused because they lead out of it. */
  refused: string[];
}

/**
 * Takes a snapshot of the models folder the way discovery sees it: top-level entries whose name
 * starts with a dot are left out (temporary files of write-then-rename, Kubernetes' `..data`
 * and `..<timestamp>` folders), and so is `skip` (the transformers cache). Links are followed,
 * so when Kubernetes swaps `..data`, the entries that link through it change fingerprint; a link
 * that resolves outside the folder is not followed but refused. Inside a model folder every file
 * counts, dot files too: a folder with a file still being written is not settled.
 * Throws when the folder itself cannot be read.
 *
 * @example
 * const { entries } = await snapshotFolder("/srv/models", ["/srv/models/cache"]);
 * entries.get("iris.onnx"); // "f:1234:1733000000000.123:5678"
 */
export async function snapshotFolder(root: string, skip: string[] = []): Promise<FolderSnapshot> {
  const realRoot = await realpath(root);
  const skipped = new Set(skip.map((path) => resolve(path)));
  const refused: string[] = [];
  const entries = new Map<string, string>();
  const names = (await readdir(root)).filter((name) => !name.startsWith(".")).sort();
  for (const name of names) {
    const path = join(root, name);
    if (skipped.has(resolve(path))) continue;
    entries.set(name, await fingerprint(path, { root, realRoot, refused, seen: new Set() }, 0));
  }
  return { entries, refused };
}

interface Walk {
  root: string;
  realRoot: string;
  refused: string[];
  /** Real paths of the folders already walked for this entry (a link to a parent loops). */
  seen: Set<string>;
}

async function fingerprint(path: string, walk: Walk, depth: number): Promise<string> {
  const link = await lstat(path).catch(() => undefined);
  if (link === undefined) return "gone";
  if (link.isSymbolicLink()) {
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined) return `dangling:${link.mtimeMs}`;
    if (!isInside(real, walk.realRoot)) {
      walk.refused.push(relative(walk.root, path));
      return "refused";
    }
  }
  const info = link.isSymbolicLink() ? await stat(path).catch(() => undefined) : link;
  if (info === undefined) return "gone";
  if (!info.isDirectory()) return `${info.isFile() ? "f" : "o"}:${info.size}:${info.mtimeMs}:${info.ino}`;
  const real = await realpath(path).catch(() => path);
  if (depth >= MAX_DEPTH || walk.seen.has(real)) return "d:…";
  walk.seen.add(real);
  const names = (await readdir(path).catch(() => [] as string[])).sort();
  const parts: string[] = [];
  for (const name of names) parts.push(`${name}=${await fingerprint(join(path, name), walk, depth + 1)}`);
  return `d{${parts.join(",")}}`;
}
