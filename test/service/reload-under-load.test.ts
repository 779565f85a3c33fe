import { describe, expect, test } from "bun:test";
import { serveModels } from "../helpers/serve-models.ts";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { postJson } from "../helpers/test-service.ts";
import { SLOW_MACHINE_LIMIT_MS } from "../helpers/limits.ts";
import { waitFor } from "../helpers/wait-for.ts";
import type { ModelInstance } from "../../src/cache/model-types.ts";


const irisRequest = {
  inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }],
};

const served = serveModels({
  "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
  "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
});

describe("reload while serving", () => {
  test("200 concurrent requests during a reload of every model: none fails, each answer is right", async () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? postJson(`${served.svc.url}/v2/models/iris_classifier/infer`, irisRequest)
        : postJson(`${served.svc.url}/api/v1/sentiment`, { text: "an excellent, lovely film" }),
    );
    const reload = postJson(`${served.svc.url}/api/v1/models/reload`, {}, served.svc.admin);
    const results = await Promise.all(requests);
    const reloaded = await reload;
    expect(reloaded.status).toBe(200);
    expect(reloaded.body).toMatchObject({ status: "reloaded", failed_count: 0, failed_models: [] });
    expect(reloaded.body.loaded_models).toEqual(["iris_classifier", "lexicon", "sentiment-distilbert"]);
    for (const [i, result] of results.entries()) {
      expect(result.status).toBe(200);
      if (i % 2 === 0) expect(result.body.outputs[0].data).toEqual([0, 2]);
      else expect(result.body).toMatchObject({ label: "POSITIVE", backend: "transformer" });
    }
    const registry = (await (await fetch(`${served.svc.url}/api/v1/models/registry`)).json()) as { models: { name: string; load_count: number; in_flight: number }[] };
    for (const entry of registry.models) {
      expect(entry.load_count).toBe(2);
      expect(entry.in_flight).toBe(0);
    }
  });

  test("reload of named models reloads only those; unknown names are 404", async () => {
    const only = await postJson(`${served.svc.url}/api/v1/models/reload`, { models: ["iris_classifier"] }, served.svc.admin);
    expect(only.status).toBe(200);
    expect(only.body).toEqual({ status: "reloaded", loaded_count: 1, failed_count: 0, loaded_models: ["iris_classifier"], failed_models: [] });
    const unknown = await postJson(`${served.svc.url}/api/v1/models/reload`, { models: ["nope"] }, served.svc.admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("model_not_found");
  });

  test("two reloads at once share one run", async () => {
    const before = (await (await fetch(`${served.svc.url}/api/v1/models/registry`)).json()) as { models: { name: string; load_count: number }[] };
    const [a, b] = await Promise.all([
      postJson(`${served.svc.url}/api/v1/models/reload`, {}, served.svc.admin),
      postJson(`${served.svc.url}/api/v1/models/reload`, {}, served.svc.admin),
    ]);
    expect(a.body).toEqual(b.body);
    const after = (await (await fetch(`${served.svc.url}/api/v1/models/registry`)).json()) as { models: { name: string; load_count: number }[] };
    for (const entry of after.models) {
      const previous = before.models.find((model) => model.name === entry.name)!;
      expect(entry.load_count).toBe(previous.load_count + 1);
    }
  });
});

describe("shutdown", () => {
  test("releases every session and every worker, after the requests in flight", async () => {
    // A model whose requests last until released, so that they are surely in flight at the stop.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: ModelInstance = {
      signature: { inputs: [{ name: "x", datatype: "FP32", shape: [-1] }], outputs: [{ name: "x", datatype: "FP32", shape: [-1] }], unsupportedOutputs: [] },
      infer: async (inputs) => (await held, { x: inputs.x! }),
      dispose: async () => undefined,
    };
    served.svc.service.cache.setModel("slow", slow);
    const inFlight = Array.from({ length: 20 }, () =>
      postJson(`${served.svc.url}/v2/models/slow/infer`, { inputs: [{ name: "x", datatype: "FP32", shape: [1], data: [1] }] }),
    );
    await waitFor("20 requests in flight", () => (served.svc.service.cache.entry("slow")?.in_flight ?? 0) === 20, SLOW_MACHINE_LIMIT_MS, 5);
    const stopping = served.svc.service.stop();
    release();
    const results = await Promise.all(inFlight);
    await stopping;
    for (const result of results) expect(result.status).toBe(200);
    const hosts = await served.svc.service.hosts.describe();
    for (const host of hosts) {
      expect(host.running).toBe(false);
      expect(host.instances).toBe(0);
    }
    const registry = served.svc.service.cache.getRegistry();
    expect(registry.loaded_models).toBe(0);
    for (const entry of registry.models) expect(entry.status).toBe("unloaded");
    expect(fetch(`${served.svc.url}/v2/health/live`)).rejects.toThrow();
  });
});
