/**
 * A model host worker that dies by itself: an uncaught error, an unhandled rejection, or an exit
 * with no word at all (under Deno not even an exit event; the missing heartbeat tells). Each is
 * noticed, the host is restarted with its models, and the process itself carries on (an
 * unprevented worker error ends a Deno process).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { getJson, postJson } from "../helpers/test-service.ts";

const iris = { copy: join(DEMO_MODELS, "iris_classifier.onnx") };
const served = serveModels(
  { "iris_classifier.onnx": iris, "crash-throw.onnx": iris, "crash-reject.onnx": iris, "crash-exit.onnx": iris },
  // The models must run in the fragile worker, not in the native host.
  { ONNX_BACKEND: "wasm" },
  { workerUrl: new URL("../helpers/fragile-host.worker.ts", import.meta.url).href },
);

const body = { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
const wasmHost = async () => (await getJson(`${served.svc.url}/api/v1/hosts`)).body.hosts.find((host: { name: string }) => host.name === "wasm-0");

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describe("a model host worker that dies by itself", () => {
  const cases: [string, RegExp][] = [
    ["crash-throw", /^crashed: uncaught error in model host: [\s\S]*crash-throw: the test worker throws/],
    ["crash-reject", /^crashed: uncaught error in model host: [\s\S]*crash-reject: the test worker rejects/],
    ["crash-exit", /^crashed: model host exited/],
  ];
  test.each(cases)("%s: noticed, restarted with its models, and the process carries on", async (model, incident) => {
    const before = (await wasmHost()).restarts as number;
    const answer = await postJson(`${served.svc.url}/v2/models/${model}/infer`, body);
    expect(answer.status).toBe(200);
    await until(async () => (await wasmHost()).restarts === before + 1);
    expect((await wasmHost()).last_incident).toMatch(incident);
    await until(async () => (await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, body)).status === 200);
    await until(async () => (await getJson(`${served.svc.url}/api/v1/models/health`)).body.status === "healthy");
    expect(served.svc.logs.some((line) => line.startsWith("Model host wasm-0 died"))).toBe(true);
  }, 60_000);
});
