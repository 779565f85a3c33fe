/**
 * A native host started with the service (src/host/native/native-prestart.ts): the service as
 * users run it (`bun src/main.ts`) starts its native host before its own modules have loaded, and
 * the host begins building the text classifiers it will be given. The early load is the one the
 * service's load gets (`started_early` in the registry), claimed once; one nobody claims is
 * disposed of; one that failed is loaded again the usual way.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runtime } from "#runtime";
import { EarlyLoads } from "../../src/host/worker/early-loads.ts";
import type { WorkerModel } from "../../src/host/worker/worker-model.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { miniTransformerFolder } from "../helpers/mini-transformer.ts";
import { spawnService, type ServiceProcess } from "../helpers/service-process.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { waitFor } from "../helpers/wait-for.ts";

const CAN_RUN_NATIVE = runtime.startProcess !== undefined;
if (!CAN_RUN_NATIVE) console.warn(`native-prestart tests skipped: ${runtime.name} starts no native model host (run them with npm test)`);

const load = { kind: "transformer" as const, modelsDir: "/models", folder: "mini", dtype: "fp32" };

function fakeModel(disposed: string[], name: string): WorkerModel {
  return {
    info: { signature: { inputs: [], outputs: [] }, details: {} },
    dispose: async () => void disposed.push(name),
  } as unknown as WorkerModel;
}

describe("EarlyLoads", () => {
  test("the first load of the same folder and weights claims it, once; other weights do not", async () => {
    const loads = new EarlyLoads();
    const disposed: string[] = [];
    const model = fakeModel(disposed, "mini");
    loads.start(load, async () => model, async (m) => m.dispose());
    expect(loads.take({ ...load, kind: "transformer", dtype: "q8", instanceId: "a#1" })).toBeUndefined();
    expect(loads.take({ kind: "lexicon", instanceId: "lexicon#1" })).toBeUndefined();
    expect(await loads.take({ ...load, instanceId: "mini#1" })).toBe(model);
    expect(loads.take({ ...load, instanceId: "mini#2" })).toBeUndefined();
    expect(disposed).toEqual([]);
  });

  test("a load nobody claims is disposed of after the wait; a failed one is handed over as a failure", async () => {
    const loads = new EarlyLoads(30);
    const disposed: string[] = [];
    loads.start(load, async () => fakeModel(disposed, "unclaimed"), async (m) => m.dispose());
    loads.start({ ...load, folder: "broken" }, async () => {
      throw new Error("not a model");
    }, async (m) => m.dispose());
    await expect(loads.take({ ...load, folder: "broken", instanceId: "broken#1" })!).rejects.toThrow("not a model");
    await waitFor("the unclaimed load disposed", () => disposed.length === 1);
    expect(disposed).toEqual(["unclaimed"]);
    expect(loads.take({ ...load, instanceId: "mini#1" })).toBeUndefined();
    expect(loads.size).toBe(0);
  });
});

describe.skipIf(!CAN_RUN_NATIVE)("bun src/main.ts with a model for the native host", () => {
  const folders: TempModels[] = [];
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const svc of running) {
      svc.proc.kill("SIGTERM");
      await svc.proc.exited;
    }
    for (const folder of folders) await folder.cleanup();
  });

  async function start(env: Record<string, string>): Promise<ServiceProcess> {
    const folder = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      ...miniTransformerFolder("mini-distilbert"),
    });
    folders.push(folder);
    const svc = await spawnService({ MODELS_DIR: folder.dir, SENTIMENT_MODEL: "mini-distilbert", ADMIN_TOKEN: "prestart-test-admin-token", ...env });
    running.push(svc);
    return svc;
  }

  async function registry(url: string): Promise<{ name: string; status: string; details?: Record<string, unknown> }[]> {
    return ((await (await fetch(`${url}/api/v1/models/registry`)).json()) as { models: { name: string; status: string; details?: Record<string, unknown> }[] }).models;
  }

  async function loaded(url: string): Promise<void> {
    await waitFor("every model loaded", async () => (await registry(url)).every((entry) => entry.status === "loaded"));
  }

  test("the text classifier is the one the host began loading before it was asked; the ONNX graph loads as usual", async () => {
    // The demo models are small: NATIVE_MIN_MB=0 puts them on the native host all the same.
    const svc = await start({ NATIVE_MIN_MB: "0" });
    await loaded(svc.url);
    const entries = await registry(svc.url);
    const mini = entries.find((entry) => entry.name === "mini-distilbert")!;
    expect(mini.details).toMatchObject({ backend: "native", started_early: true });
    const iris = entries.find((entry) => entry.name === "iris_classifier")!;
    expect(iris.details?.started_early).toBeUndefined();
    const response = await fetch(`${svc.url}/api/v1/sentiment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "a gorgeous, witty, seductive movie." }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe("mini-distilbert");
    // A reload builds a new pipeline: the early one was claimed once.
    const reload = await fetch(`${svc.url}/api/v1/models/reload`, {
      method: "POST",
      headers: { authorization: "Bearer prestart-test-admin-token", "content-type": "application/json" },
      body: JSON.stringify({ models: ["mini-distilbert"] }),
    });
    expect(reload.status).toBe(200);
    await loaded(svc.url);
    expect((await registry(svc.url)).find((entry) => entry.name === "mini-distilbert")!.details?.started_early).toBeUndefined();
  });

  test("models too small for the native host start none early (NATIVE_MIN_MB)", async () => {
    const svc = await start({});
    await loaded(svc.url);
    const mini = (await registry(svc.url)).find((entry) => entry.name === "mini-distilbert")!;
    expect(mini.details).toMatchObject({ backend: "wasm" });
    expect(mini.details?.started_early).toBeUndefined();
  });
});
