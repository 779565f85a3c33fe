/**
 * What happens to the others when one model's load or run goes wrong inside the WASM runtime,
 * and when a model host's worker dies.
 */
import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { killHostWorker } from "../helpers/host-internals.ts";
import { busyModel, memoryHungryModel } from "../helpers/onnx-builders.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels } from "../helpers/temp-models.ts";
import { getJson, postJson, startTestService } from "../helpers/test-service.ts";
import { SLOW_MACHINE_LIMIT_MS } from "../helpers/limits.ts";
import { waitFor } from "../helpers/wait-for.ts";

/**
 * Limit of a test that recycles or restarts a host and waits for its models to reload: the
 * out-of-memory run alone writes about 3.6 GB (3 s on an idle 2-core machine, several times that
 * on a busy one), and each wait below may take up to waitFor's limit.
 */
const RECOVERY_TEST_MS = 180_000;

const irisBody = { inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };
const irisAnswers = async () => {
  const { status, body } = await postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisBody);
  return status === 200 && JSON.stringify(body.outputs[0].data) === "[0,2]";
};
const wasmHost = async () => (await getJson(`${served.svc.url}/api/v1/hosts`)).body.hosts.find((host: { name: string }) => host.name === "wasm-0");

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
  "hungry.onnx": memoryHungryModel(),
}, { HOST_MEMORY_LIMIT_MB: "1024", ONNX_BACKEND: "wasm" });

describe("out of memory inside one model's run", () => {
  test("is a 400 for that request; the runtime is not poisoned; the grown host is recycled and its models reloaded", async () => {
    const before = await wasmHost();
    expect(before.wasm_memory_bytes).toBeLessThan(256 * 2 ** 20);
    const huge = await postJson(`${served.svc.url}/v2/models/hungry/infer`, {
      inputs: [
        { name: "x", datatype: "FP32", shape: [1], data: [1] },
        { name: "shape", datatype: "INT64", shape: [2], data: [30000, 30000] },
      ],
    });
    expect(huge.status).toBe(400);
    expect(huge.body.error).toMatch(/bad_alloc/);
    // The same runtime still answers every model, the greedy one included.
    expect(await irisAnswers()).toBe(true);
    const small = await postJson(`${served.svc.url}/v2/models/hungry/infer`, {
      inputs: [
        { name: "x", datatype: "FP32", shape: [1], data: [1] },
        { name: "shape", datatype: "INT64", shape: [2], data: [2, 2] },
      ],
    });
    expect(small.body.outputs[0].data).toEqual([2, 2, 2, 2]);
    // Its memory grew past HOST_MEMORY_LIMIT_MB and never shrinks: the host is recycled.
    await waitFor("wasm-0 to be recycled", async () => (await wasmHost()).recycles === 1 && (await wasmHost()).wasm_memory_bytes < 256 * 2 ** 20);
    const host = await wasmHost();
    expect(host.last_incident).toMatch(/recycled: its WebAssembly memory grew to \d+ MiB, over the limit of 1024 MiB/);
    await waitFor("wasm-0's models to be loaded again", async () => {
      const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
      return body.models.filter((m: { details?: { host?: string } }) => m.details?.host === "wasm-0").every((m: { load_count: number }) => m.load_count === 2);
    });
    const { body: registry } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    const iris = registry.models.find((m: { name: string }) => m.name === "iris_classifier");
    expect(iris.status).toBe("loaded");
    expect(iris.last_error).toMatch(/model host wasm-0 was recycled/);
    expect(await irisAnswers()).toBe(true);
    expect(served.svc.logs.some((line) => line.startsWith("Recycling model host wasm-0"))).toBe(true);
  }, RECOVERY_TEST_MS);
});

describe("a model host's worker dies", () => {
  test("it is restarted, its models are reloaded, and the incident is in the registry and the logs", async () => {
    await killHostWorker(served.svc.service, "wasm-0");
    await waitFor("iris to answer after the crash", irisAnswers);
    await waitFor("health to be healthy", async () => (await getJson(`${served.svc.url}/api/v1/models/health`)).body.status === "healthy");
    const host = await wasmHost();
    expect(host.restarts).toBe(1);
    expect(host.running).toBe(true);
    expect(host.last_incident).toMatch(/^crashed: model host exited/);
    const { body: registry } = await getJson(`${served.svc.url}/api/v1/models/registry`);
    for (const name of ["iris_classifier", "sentiment-distilbert", "hungry"]) {
      const entry = registry.models.find((m: { name: string }) => m.name === name);
      expect(entry.status, name).toBe("loaded");
      expect(entry.last_error, name).toMatch(/model host wasm-0 crashed/);
    }
    const sentiment = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "lovely" });
    expect(sentiment.body.backend).toBe("transformer");
    expect(served.svc.logs.some((line) => line.startsWith("Model host wasm-0 died"))).toBe(true);
  }, RECOVERY_TEST_MS);

  test("the lexicon and forecasts live in another worker, so sentiment never stops", async () => {
    await killHostWorker(served.svc.service, "wasm-0");
    const answer = await postJson(`${served.svc.url}/api/v1/sentiment`, { text: "lovely" });
    expect(answer.status).toBe(200);
    expect(["transformer", "lexicon"]).toContain(answer.body.backend);
    await waitFor("iris to answer after the crash", irisAnswers);
  }, RECOVERY_TEST_MS);
});

describe("a restart through the API", () => {
  test("needs the admin token", async () => {
    expect((await postJson(`${served.svc.url}/api/v1/hosts/wasm-0/restart`, {})).status).toBe(401);
    expect((await postJson(`${served.svc.url}/api/v1/hosts/nope/restart`, {}, served.svc.admin)).status).toBe(404);
  });

  test("moves the models to a fresh worker without failing a request", async () => {
    const before = (await wasmHost()).recycles;
    const requests = Array.from({ length: 100 }, (_, i) => (i === 10 ? postJson(`${served.svc.url}/api/v1/hosts/wasm-0/restart`, {}, served.svc.admin) : postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisBody)));
    const results = await Promise.all(requests);
    for (const result of results) expect(result.status).toBe(200);
    await waitFor("wasm-0 to be recycled", async () => (await wasmHost()).recycles === before + 1);
    expect(await irisAnswers()).toBe(true);
  }, RECOVERY_TEST_MS);
});

describe("a restart while models are still loading", () => {
  test("the loads cut off are tried again on the new worker; every model ends loaded", async () => {
    const folder = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
    });
    const service = await startTestService({ MODELS_DIR: folder.dir, ONNX_BACKEND: "wasm" }, { waitLoaded: false });
    try {
      // Wait until the WASM host exists (the first load started it), then recycle it mid-load.
      await waitFor("wasm-0 to start", async () => (await service.service.hosts.describe()).find((host) => host.name === "wasm-0")!.running, SLOW_MACHINE_LIMIT_MS, 5);
      await service.service.hosts.recycle("wasm-0", "test: recycle during the first load");
      await service.service.loading;
      expect(service.service.cache.failedModels).toEqual([]);
      expect(service.service.cache.loadedModels).toEqual(["iris_classifier", "lexicon", "sentiment-distilbert"]);
    } finally {
      await service.stop();
      await folder.cleanup();
    }
  }, RECOVERY_TEST_MS);
});

const square = (n: number) => ({
  inputs: [
    { name: "x", datatype: "FP32", shape: [1], data: [1] },
    { name: "shape", datatype: "INT64", shape: [2], data: [n, n] },
  ],
});
const busyModels = { "busy.onnx": busyModel(), "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } };

describe("a slow call inside the WASM runtime (INFERENCE_TIMEOUT_MS)", () => {
  // The host answers the probe once the run is over; a probe window of a minute keeps "slow but
  // alive" apart from "stuck" however long this run takes on a busy machine.
  const busy = serveModels(busyModels, { INFERENCE_TIMEOUT_MS: "200", ONNX_BACKEND: "wasm" }, { hostProbeMs: 60_000 });

  test("whose host still answers is left to finish", async () => {
    // About 1.6e10 multiply-adds: well over INFERENCE_TIMEOUT_MS on any machine.
    const result = await postJson(`${busy.svc.url}/v2/models/busy/infer`, square(2000));
    expect(result.status).toBe(200);
    expect(result.body.outputs[0].data[0]).toBeGreaterThan(7e9);
    // The probe is answered right after the run (the worker takes messages in order).
    await waitFor("the probe's answer", async () => busy.svc.logs.some((line) => line.includes("the host answers, so it keeps waiting")));
    const host = (await getJson(`${busy.svc.url}/api/v1/hosts`)).body.hosts.find((h: { name: string }) => h.name === "wasm-0");
    expect(host.restarts).toBe(0);
  }, RECOVERY_TEST_MS);
});

describe("a call stuck inside the WASM runtime (INFERENCE_TIMEOUT_MS)", () => {
  // The default probe window (2 s): a run of about 1.3e11 multiply-adds outlasts it everywhere.
  const busy = serveModels(busyModels, { INFERENCE_TIMEOUT_MS: "200", ONNX_BACKEND: "wasm" });

  test("keeps its worker from answering, so the worker is restarted: 503, then the models serve again", async () => {
    const stuck = await postJson(`${busy.svc.url}/v2/models/busy/infer`, square(4000));
    expect(stuck.status).toBe(503);
    expect(stuck.body.error).toMatch(/restart/);
    expect(busy.svc.logs.some((line) => /^Model host wasm-0 did not answer for \d+ ms \(a run call hung\); restarting it/.test(line))).toBe(true);
    const iris = () => postJson(`${busy.svc.url}/v2/models/iris_classifier/infer`, { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] });
    await waitFor("iris to answer after the restart", async () => (await iris()).status === 200);
    const host = (await getJson(`${busy.svc.url}/api/v1/hosts`)).body.hosts.find((h: { name: string }) => h.name === "wasm-0");
    expect(host.restarts).toBe(1);
  }, RECOVERY_TEST_MS);
});
