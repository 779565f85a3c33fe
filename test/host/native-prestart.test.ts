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
import { untilWarm } from "../../src/host/native/native-prestart.ts";
import { nativeHostEnv, TRANSPILER_CACHE_FOLDER } from "../../src/host/native/native-channel.ts";
import type { WorkerHandle } from "../../src/runtime/runtime-api.ts";
import { existsSync, readdirSync } from "node:fs";
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

function fakeHandle(): WorkerHandle {
  return { postMessage: () => undefined, terminate: () => undefined, onmessage: null, onerror: null, onexit: null };
}

describe("untilWarm: the service imports its modules once the prestarted host is warm", () => {
  test("a heartbeat is not the signal; `warm` is", async () => {
    const handle = fakeHandle();
    let settled = false;
    const warm = untilWarm(handle, 60_000, () => undefined).then(() => (settled = true));
    handle.onmessage!({ data: { signal: "heartbeat" } });
    await runtime.sleep(20);
    expect(settled).toBe(false);
    handle.onmessage!({ data: { signal: "warm" } });
    await warm;
    expect(settled).toBe(true);
  });

  test("a host that exits first is reported and waited for no longer; a silent one only for the wait", async () => {
    const exiting = fakeHandle();
    let exited = false;
    const gone = untilWarm(exiting, 60_000, () => (exited = true));
    exiting.onexit!("the process exited with code 1");
    await gone;
    expect(exited).toBe(true);
    await untilWarm(fakeHandle(), 10, () => undefined);
  });
});

describe("nativeHostEnv: Bun's transpiler cache of the native host", () => {
  const saved = process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH;
  afterAll(() => {
    if (saved === undefined) delete process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH;
    else process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH = saved;
  });

  test("goes in the configured cache folder, also when the service's own is off (npm start); a folder chosen for it is kept", () => {
    delete process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH;
    expect(nativeHostEnv("/srv/cache")).toEqual({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: join("/srv/cache", TRANSPILER_CACHE_FOLDER) });
    process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH = "0";
    expect(nativeHostEnv("/srv/cache")).toEqual({ BUN_RUNTIME_TRANSPILER_CACHE_PATH: join("/srv/cache", TRANSPILER_CACHE_FOLDER) });
    process.env.BUN_RUNTIME_TRANSPILER_CACHE_PATH = "/var/cache/bun";
    expect(nativeHostEnv("/srv/cache")).toEqual({});
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
    // The host's transpiler cache is in the configured cache folder (<MODELS_DIR>/cache), nowhere else.
    const transpiled = join(folders.at(-1)!.dir, "cache", TRANSPILER_CACHE_FOLDER);
    expect(existsSync(transpiled) && readdirSync(transpiled).length > 0).toBe(true);
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
