import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { postJson, type TestService } from "../helpers/test-service.ts";

/** Asks a marker model (test/helpers/onnx-builders.ts) for its marker: x = 0 gives max(W). */
export async function markerOf(svc: TestService, name: string): Promise<number | string> {
  const { status, body } = await postJson(`${svc.url}/v2/models/${name}/infer`, { inputs: [{ name: "x", datatype: "FP32", shape: [1], data: [0] }] });
  return status === 200 ? (body.outputs[0].data[0] as number) : `HTTP ${status}`;
}

/** Writes a file the way the README recommends: to a dot-name in the same folder, then renamed into place. */
export async function writeThenRename(dir: string, name: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = join(dir, `.${name}.tmp`);
  await writeFile(temporary, bytes);
  await rename(temporary, join(dir, name));
}

/** Lines of the log that start with `prefix`. */
export function linesStarting(svc: TestService, prefix: string): string[] {
  return svc.logs.filter((line) => line.startsWith(prefix));
}

/**
 * Keeps `clients` loops requesting a marker model until `stop()`; counts answers, and keeps every
 * one that was not the expected marker (a failed request).
 */
export function keepRequesting(svc: TestService, name: string, expected: (marker: number) => boolean, clients = 4) {
  let running = true;
  const failures: string[] = [];
  let answers = 0;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const marker = await markerOf(svc, name).catch((error: Error) => `error ${error.message}`);
      answers++;
      if (typeof marker !== "number" || !expected(marker)) failures.push(String(marker));
    }
  });
  return {
    get answers() {
      return answers;
    },
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
