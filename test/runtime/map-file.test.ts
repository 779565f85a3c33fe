/**
 * runtime.mapFile: the native host creates its transformers' sessions from the model file's
 * mapped pages (src/host/native/native-engine.ts). The bytes must be the file's, whether the
 * runtime maps it (Bun) or reads it (Deno).
 */
import { describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtime } from "#runtime";

describe("runtime.mapFile", () => {
  test("gives the file's bytes; a missing file is an error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "map-file-"));
    try {
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 251);
      await writeFile(join(dir, "model.onnx"), bytes);
      const mapped = await runtime.mapFile(join(dir, "model.onnx"));
      expect(mapped.byteLength).toBe(bytes.byteLength);
      expect(Buffer.from(mapped).equals(Buffer.from(bytes))).toBe(true);
      await expect(runtime.mapFile(join(dir, "absent.onnx"))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
