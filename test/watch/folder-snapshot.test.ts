import { afterEach, describe, expect, test } from "bun:test";
import { appendFile, mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { snapshotFolder } from "../../src/watch/folder-snapshot.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";

const made: TempModels[] = [];
async function folder(files: Record<string, string>): Promise<TempModels> {
  const models = await tempModels(files);
  made.push(models);
  return models;
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((models) => models.cleanup()));
});

describe("snapshotFolder", () => {
  test("one fingerprint per visible top-level entry; dot entries and the cache are left out", async () => {
    const models = await folder({ "a.onnx": "x", "b/model.onnx": "x", ".a.onnx.tmp": "partial", "cache/c.onnx": "x", "models.yaml": "models:\n" });
    const { entries, refused } = await snapshotFolder(models.dir, [join(models.dir, "cache")]);
    expect([...entries.keys()]).toEqual(["a.onnx", "b", "models.yaml"]);
    expect(refused).toEqual([]);
  });

  test("a fingerprint changes with a file's content, a file added in a folder, and a rename over it", async () => {
    const models = await folder({ "a.onnx": "x", "b/model.onnx": "x" });
    const first = (await snapshotFolder(models.dir)).entries;
    expect((await snapshotFolder(models.dir)).entries).toEqual(first);
    await appendFile(join(models.dir, "a.onnx"), "more");
    await writeFile(join(models.dir, "b/.model.onnx.data.partial"), "x");
    const second = (await snapshotFolder(models.dir)).entries;
    expect(second.get("a.onnx")).not.toBe(first.get("a.onnx"));
    expect(second.get("b")).not.toBe(first.get("b"));
    // Same size, written then renamed into place: a new inode.
    await writeFile(join(models.dir, ".a.tmp"), "xmore");
    await rename(join(models.dir, ".a.tmp"), join(models.dir, "a.onnx"));
    expect((await snapshotFolder(models.dir)).entries.get("a.onnx")).not.toBe(second.get("a.onnx"));
  });

  test("Kubernetes ..data swap: the entries linked through it change fingerprint", async () => {
    const models = await folder({ "..2026_01_01/a.onnx": "one" });
    await symlink("..2026_01_01", join(models.dir, "..data"));
    await symlink("..data/a.onnx", join(models.dir, "a.onnx"));
    const before = (await snapshotFolder(models.dir)).entries;
    expect([...before.keys()]).toEqual(["a.onnx"]);
    await mkdir(join(models.dir, "..2026_01_02"));
    await writeFile(join(models.dir, "..2026_01_02/a.onnx"), "two");
    await symlink("..2026_01_02", join(models.dir, "..data_tmp"));
    await rename(join(models.dir, "..data_tmp"), join(models.dir, "..data"));
    await rm(join(models.dir, "..2026_01_01"), { recursive: true });
    const after = (await snapshotFolder(models.dir)).entries;
    expect(after.get("a.onnx")).toMatch(/^f:3:/);
    expect(after.get("a.onnx")).not.toBe(before.get("a.onnx"));
  });

  test("links out of the folder are refused, not followed; a link loop ends", async () => {
    const outside = await folder({ "secret.onnx": "x", "dir/model.onnx": "x" });
    const models = await folder({ "b/model.onnx": "x" });
    await symlink(join(outside.dir, "secret.onnx"), join(models.dir, "secret.onnx"));
    await symlink(join(outside.dir, "dir"), join(models.dir, "b/weights"));
    await symlink("..", join(models.dir, "b/parent"));
    const { entries, refused } = await snapshotFolder(models.dir);
    expect(entries.get("secret.onnx")).toBe("refused");
    // b/parent leads back to the top, where secret.onnx is refused again under that name.
    expect(refused.sort()).toEqual(["b/parent/secret.onnx", "b/weights", "secret.onnx"]);
    expect(entries.get("b")).toContain("weights=refused");
    for (const fingerprint of entries.values()) expect(fingerprint).not.toContain(outside.dir);
  });

  test("a folder that cannot be read throws (the watcher logs it and keeps going)", async () => {
    expect(snapshotFolder("/nonexistent/models")).rejects.toThrow();
  });
});
