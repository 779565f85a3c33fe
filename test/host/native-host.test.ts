/**
 * The native host: ONNX and transformer models on onnxruntime-node in a child process
 * (ONNX_BACKEND=auto, the default), answers equal to an in-process run, and a crash in native
 * code (SIGSEGV) contained — the host restarted, its models reloaded, the service never down —
 * with `auto` falling back to WASM when the native runtime cannot start or keeps crashing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runtime } from "#runtime";
import * as ortWeb from "onnxruntime-web";
import { serveModels } from "../helpers/serve-models.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { getJson, postJson, type TestService } from "../helpers/test-service.ts";
import { inProcessClassifier, miniTransformerFolder, miniTransformerOnnx } from "../helpers/mini-transformer.ts";
import { nativeChannel } from "../../src/host/native/native-channel.ts";

/** Native hosts are child processes of this runtime; Deno starts none (models run on WASM there). */
const CAN_RUN_NATIVE = runtime.startProcess !== undefined;
if (!CAN_RUN_NATIVE) console.warn(`native-host tests skipped: ${runtime.name} starts no native model host (run them with npm test)`);

const FAULTY_HOST = fileURLToPath(new URL("../helpers/faulty-native-host.ts", import.meta.url));
const irisBody = { inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };
const TEXTS = ["a gorgeous, witty, seductive movie.", "the acting is terrible", "it's a charming and often affecting journey."];

/** Token ids of two texts of different lengths, the shorter padded: [2, 6]. */
const ids = [2n, 170n, 1520n, 44n, 900n, 3n, 2n, 77n, 3n, 0n, 0n, 0n];
const mask = [1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n];
const logitsBody = {
  inputs: [
    { name: "input_ids", datatype: "INT64", shape: [2, 6], data: ids.map(Number) },
    { name: "attention_mask", datatype: "INT64", shape: [2, 6], data: mask.map(Number) },
  ],
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function registryEntry(svc: TestService, name: string): Promise<{ status: string; details?: Record<string, unknown> }> {
  const { body } = await getJson(`${svc.url}/api/v1/models/registry`);
  return body.models.find((entry: { name: string }) => entry.name === name);
}

async function nativeHostInfo(svc: TestService) {
  return (await svc.service.hosts.describe(true)).find((host) => host.name === "native")!;
}

/** Logits of the mini model run in this process on `ort` (native or WASM). */
async function inProcessLogits(ort: typeof ortWeb): Promise<number[]> {
  const session = await ort.InferenceSession.create(miniTransformerOnnx());
  const feeds = {
    input_ids: new ort.Tensor("int64", BigInt64Array.from(ids), [2, 6]),
    attention_mask: new ort.Tensor("int64", BigInt64Array.from(mask), [2, 6]),
  };
  const { logits } = await session.run(feeds);
  await session.release();
  return Array.from(logits!.data as Float32Array);
}

describe.skipIf(!CAN_RUN_NATIVE)("ONNX_BACKEND=auto with onnxruntime-node installed", () => {
  const served = serveModels(
    {
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "mini-logits.onnx": miniTransformerOnnx(),
      ...miniTransformerFolder("mini-distilbert"),
    },
    // These models are small: NATIVE_MIN_MB=0 puts them on the native host all the same.
    { SENTIMENT_MODEL: "mini-distilbert", NATIVE_MIN_MB: "0" },
  );

  test("ONNX and transformer models run on the native host", async () => {
    for (const name of ["iris_classifier", "mini-logits", "mini-distilbert"]) {
      const entry = await registryEntry(served.svc, name);
      expect(entry.status).toBe("loaded");
      expect(entry.details).toMatchObject({ backend: "native", host: "native" });
    }
    const { body } = await getJson(`${served.svc.url}/api/v1/hosts`);
    expect(body.hosts.find((host: { name: string }) => host.name === "native")).toMatchObject({ running: true, instances: 3 });
    // It is a process of its own, not a thread of the service.
    expect((await nativeHostInfo(served.svc)).memory?.pid).not.toBe(process.pid);
  });

  test("logits are within 1e-4 of an in-process run on onnxruntime-node and on onnxruntime-web", async () => {
    const { status, body } = await postJson(`${served.svc.url}/v2/models/mini-logits/infer`, logitsBody);
    expect(status).toBe(200);
    const served_ = body.outputs[0].data as number[];
    const ortNode = (await import("onnxruntime-node-native")) as unknown as typeof ortWeb;
    for (const reference of [await inProcessLogits(ortNode), await inProcessLogits(ortWeb)]) {
      expect(served_).toHaveLength(4);
      for (const [i, value] of served_.entries()) expect(Math.abs(value - reference[i]!)).toBeLessThan(1e-4);
    }
  });

  test("transformer scores are within 1e-4 of transformers.js run in this process", async () => {
    const { status, body } = await postJson(`${served.svc.url}/api/v1/sentiment`, { texts: TEXTS });
    expect(status).toBe(200);
    const classify = await inProcessClassifier(served.models.dir, "mini-distilbert");
    for (const [i, text] of TEXTS.entries()) {
      const [reference] = (await classify(text)) as { label: string; score: number }[];
      expect(body.results[i]).toMatchObject({ backend: "transformer", model: "mini-distilbert", label: reference!.label });
      expect(Math.abs(body.results[i].score - reference!.score)).toBeLessThan(1e-4);
    }
    await classify.dispose();
  });

  test("a segmentation fault in the native host: restarted, models reloaded, requests meanwhile 200 or 503, the service never down", async () => {
    const before = await postJson(`${served.svc.url}/v2/models/mini-logits/infer`, logitsBody);
    const oldPid = (await nativeHostInfo(served.svc)).memory!.pid;
    const statuses = new Set<number>();
    const sentimentBackends = new Set<string>();
    let running = true;
    const clients = Array.from({ length: 4 }, async (_, client) => {
      while (running) {
        if (client % 2 === 0) {
          statuses.add((await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisBody)).status);
        } else {
          const answer = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: TEXTS[0] });
          statuses.add(answer.status);
          if (answer.status === 200) sentimentBackends.add(answer.body.backend);
        }
        expect((await getJson(`${served.svc.url}/v2/health/live`)).status).toBe(200);
      }
    });
    process.kill(oldPid, "SIGSEGV");
    await until("the native host to restart", async () => (await nativeHostInfo(served.svc)).restarts === 1);
    await until("every model to be reloaded on a new native process", async () => {
      const host = await nativeHostInfo(served.svc);
      const entries = await Promise.all(["iris_classifier", "mini-logits", "mini-distilbert"].map((name) => registryEntry(served.svc, name)));
      return host.instances === 3 && host.memory?.pid !== oldPid && entries.every((entry) => entry.status === "loaded");
    });
    running = false;
    await Promise.all(clients);
    expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(sentimentBackends.size).toBeGreaterThan(0);
    expect((await nativeHostInfo(served.svc)).last_incident).toMatch(/SIGSEGV/);
    const after = await postJson(`${served.svc.url}/v2/models/mini-logits/infer`, logitsBody);
    expect(after.body.outputs).toEqual(before.body.outputs);
    expect((await registryEntry(served.svc, "mini-logits")).details).toMatchObject({ backend: "native" });
  });
});

describe.skipIf(!CAN_RUN_NATIVE)("ONNX_BACKEND=auto falls back to WASM", () => {
  describe("when onnxruntime-node cannot start", () => {
    const served = serveModels(
      { "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, ...miniTransformerFolder("mini-distilbert") },
      { NATIVE_MIN_MB: "0" },
      { openNative: () => nativeChannel(FAULTY_HOST, ["no-runtime"]) },
    );

    test("every model loads on WASM, and the log says why", async () => {
      for (const name of ["iris_classifier", "mini-distilbert"]) {
        expect(await registryEntry(served.svc, name)).toMatchObject({ status: "loaded", details: { backend: "wasm", host: "wasm-0" } });
      }
      expect(served.svc.logs.some((line) => line.includes("Native onnxruntime cannot start") && line.includes("libonnxruntime.so.1"))).toBe(true);
      expect(served.svc.service.execution.describe()).toMatchObject({ choice: "auto", active: "wasm" });
      const { status, body } = await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisBody);
      expect(status).toBe(200);
      expect(body.outputs[0].data).toEqual([0, 2]);
    });
  });

  describe("when loading a model crashes the native host", () => {
    const served = serveModels(
      { "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } },
      { NATIVE_MIN_MB: "0" },
      { openNative: () => nativeChannel(FAULTY_HOST, ["crash-on-load"]) },
    );

    test("the model is tried once more on a fresh native host, then loaded on WASM", async () => {
      const entry = await registryEntry(served.svc, "iris_classifier");
      expect(entry).toMatchObject({ status: "loaded", details: { backend: "wasm" } });
      expect(String(entry.details?.native_error)).toMatch(/SIGSEGV/);
      expect((await nativeHostInfo(served.svc)).restarts).toBe(2);
    });
  });

  describe("when the native host keeps crashing at run time", () => {
    const served = serveModels(
      { "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } },
      { NATIVE_MIN_MB: "0" },
      { openNative: () => nativeChannel(FAULTY_HOST, ["crash-on-run"]) },
    );

    test("each crash is a 503 and a reload; after five in a minute the model is reloaded on WASM and answers", async () => {
      const statuses: number[] = [];
      await until("the model to answer from WASM", async () => {
        const { status } = await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisBody);
        statuses.push(status);
        return status === 200;
      });
      expect(statuses.filter((status) => status !== 503 && status !== 200)).toEqual([]);
      expect((await nativeHostInfo(served.svc)).restarts).toBe(5);
      expect(await registryEntry(served.svc, "iris_classifier")).toMatchObject({ status: "loaded", details: { backend: "wasm" } });
      expect(served.svc.logs.some((line) => line.includes("The native model host cannot start now"))).toBe(true);
    });
  });
});

describe.skipIf(!CAN_RUN_NATIVE)("ONNX_BACKEND=auto and model size (NATIVE_MIN_MB)", () => {
  const served = serveModels({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") }, "mini-logits.onnx": miniTransformerOnnx() }, { NATIVE_MIN_MB: "1" });

  test("a model under the size runs on WASM, where a call costs less; a larger one on the native host", async () => {
    expect(miniTransformerOnnx().byteLength).toBeGreaterThan(2 ** 20);
    expect(await registryEntry(served.svc, "iris_classifier")).toMatchObject({ status: "loaded", details: { backend: "wasm", host: "wasm-0" } });
    expect(await registryEntry(served.svc, "mini-logits")).toMatchObject({ status: "loaded", details: { backend: "native", host: "native" } });
  });
});
