import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** Deepest folder level searched for links; model folders are shallow (onnx/model.onnx). */
const MAX_DEPTH = 8;

/** True when `real` (a resolved path) is `root` itself or lies below it. */
export function isInside(real: string, root: string): boolean {
  const rel = relative(root, real);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/**
 * The first path at or below `path` that resolves outside `root` through a symbolic link (path
 * relative to `root`), or `undefined` when every link stays inside. Kubernetes ConfigMap volumes are made
 * of links into the same folder (`x.onnx -> ..data/x.onnx`), which are followed; a link out of
 * the models folder (to /etc, another volume) is refused, so no model file is read from outside
 * the folder the operator named. A link that cannot be resolved (dangling, a loop) is left to
 * the loader, which reports it.
 *
 * @example
 * await linkOutside("/srv/models/iris.onnx", "/srv/models"); // "iris.onnx" when it points at /tmp/x.onnx
 */
export async function linkOutside(path: string, root: string): Promise<string | undefined> {
  const realRoot = await realpath(root).catch(() => root);
  return search(path, root, realRoot, 0, new Set());
}

async function search(path: string, root: string, realRoot: string, depth: number, seen: Set<string>): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined;
  // Not only links: `path` itself may sit below a link (a manifest's `exports/churn.onnx`).
  if (!isInside(real, realRoot)) return relative(root, path);
  const target = info.isSymbolicLink() ? await stat(path).catch(() => undefined) : info;
  // A folder is searched once, however many links lead to it (a link to its own parent loops).
  if (target?.isDirectory() !== true || depth >= MAX_DEPTH || seen.has(real)) return undefined;
  seen.add(real);
  for (const name of await readdir(path).catch(() => [] as string[])) {
    const found = await search(join(path, name), root, realRoot, depth + 1, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
