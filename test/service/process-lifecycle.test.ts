/**
 * The service as its own process: graceful shutdown on SIGTERM (requests in flight finish, new
 * connections are refused, exit 0), prompt exit while models still load, configuration errors,
 * and secrets kept out of the logs.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createConnection } from "node:net";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { busyModel } from "../helpers/onnx-builders.ts";
import { spawnService } from "../helpers/service-process.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { execFileSync } from "node:child_process";
import { SLOW_MACHINE_LIMIT_MS } from "../helpers/limits.ts";
import { settlesWithin, waitFor } from "../helpers/wait-for.ts";

const folders: TempModels[] = [];
afterAll(async () => {
  for (const folder of folders) await folder.cleanup();
});

async function models(files: Parameters<typeof tempModels>[0]): Promise<string> {
  const folder = await tempModels(files);
  folders.push(folder);
  return folder.dir;
}

/** How many requests the registry has counted for `model`. */
async function requestsOn(url: string, model: string): Promise<number> {
  const registry = (await (await fetch(`${url}/api/v1/models/registry`)).json()) as { models: { name: string; requests: number }[] };
  return registry.models.find((entry) => entry.name === model)?.requests ?? 0;
}

async function connects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection({ host: hostname, port: Number(port) }, () => {
        socket.end();
        resolve();
      });
      socket.once("error", reject);
    });
    return true;
  } catch {
    return false;
  }
}

describe("SIGTERM with 100 requests in flight", () => {
  test("every request completes, new connections are refused, everything is released, exit 0 within SHUTDOWN_GRACE_MS", async () => {
    const dir = await models({ "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") } });
    // A grace period no busy machine reaches: the requests must finish because they are let
    // finish, not because they were quick.
    const svc = await spawnService({ MODELS_DIR: dir, ADMIN_TOKEN: "process-test-admin-token", SHUTDOWN_GRACE_MS: "120000" });
    await svc.waitFor(/Loaded \d+ models/);
    const texts = Array.from({ length: 64 }, (_, i) => `request text number ${i}: a perfectly lovely and wonderful day`);
    const requests = Array.from({ length: 100 }, () =>
      fetch(`${svc.url}/api/v1/sentiment`, { method: "POST", body: JSON.stringify({ texts }) }).then(async (response) => ({
        status: response.status,
        results: ((await response.json()) as { results?: unknown[] }).results?.length,
      })),
    );
    // Wait until the service has taken all 100 (each counts one request on the model).
    await waitFor("the service to take all 100 requests", async () => (await requestsOn(svc.url, "sentiment-distilbert")) >= 100, SLOW_MACHINE_LIMIT_MS, 5);
    svc.proc.kill("SIGTERM");
    await waitFor("new connections to be refused", async () => !(await connects(svc.url)));
    const results = await Promise.all(requests);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(results.every((result) => result.results === 64)).toBe(true);
    expect(await svc.proc.exited).toBe(0);
    expect(svc.output()).not.toContain("Requests still in flight");
    expect(svc.output()).toContain("Stopped: every model unloaded and every model host released");
  }, 240_000);
});

describe("SIGTERM with a request that outlasts SHUTDOWN_GRACE_MS", () => {
  test("the process still exits 0 at the deadline, not when the request would have ended", async () => {
    const dir = await models({ "busy.onnx": busyModel() });
    const svc = await spawnService({ MODELS_DIR: dir, ADMIN_TOKEN: "process-test-admin-token", SHUTDOWN_GRACE_MS: "500" });
    await svc.waitFor(/Loaded \d+ models/);
    // About 1.3e11 multiply-adds in one synchronous WASM call: seconds on any machine.
    const long = fetch(`${svc.url}/v2/models/busy/infer`, {
      method: "POST",
      body: JSON.stringify({ inputs: [{ name: "x", datatype: "FP32", shape: [1], data: [1] }, { name: "shape", datatype: "INT64", shape: [2], data: [4000, 4000] }] }),
    }).then((response) => response.status, (error: Error) => error);
    await waitFor("the service to take the request", async () => (await requestsOn(svc.url, "busy")) >= 1, SLOW_MACHINE_LIMIT_MS, 5);
    svc.proc.kill("SIGTERM");
    expect(await svc.proc.exited).toBe(0);
    // The deadline cut the request off: its connection was closed without an answer.
    expect(svc.output()).toContain("Requests still in flight after 500 ms; closing their connections");
    expect(await long).toBeInstanceOf(Error);
  }, 120_000);
});

describe("SIGTERM while models are still loading", () => {
  test("exits with code 0, without waiting for a load that hangs", async () => {
    const dir = await models({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } });
    execFileSync("mkfifo", [join(dir, "stuck.onnx")]);
    const svc = await spawnService({ MODELS_DIR: dir, ADMIN_TOKEN: "process-test-admin-token", LOAD_TIMEOUT_MS: "600000" });
    const health = (await (await fetch(`${svc.url}/api/v1/models/health`)).json()) as { status: string };
    expect(health.status).toBe("loading");
    svc.proc.kill("SIGTERM");
    // The load never ends (LOAD_TIMEOUT_MS is 10 minutes): a stop that waited for it would not exit.
    expect(await settlesWithin("the process to exit", svc.proc.exited)).toBe(0);
  }, 120_000);
});

describe("configuration that cannot be used stops the start, naming it", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["an unknown log level", { LOG_LEVEL: "verbose" }, /LOG_LEVEL must be one of debug, info, warn, error, silent, got "verbose"/],
    ["a negative limit", { LOAD_TIMEOUT_MS: "-1" }, /LOAD_TIMEOUT_MS must be ≥ 1/],
    ["a malformed number", { LOAD_CONCURRENCY: "four" }, /LOAD_CONCURRENCY must be a whole number/],
    ["an unknown PRELOAD name", { PRELOAD: "iris_classifier,typo" }, /PRELOAD names models that are not in the models folder: typo/],
  ];
  test.each(cases)("%s", async (_name, env, message) => {
    const dir = await models({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } });
    const svc = await spawnService({ MODELS_DIR: dir, __NO_WAIT: "1", ...env });
    expect(await svc.proc.exited).toBe(2);
    expect(svc.output()).toMatch(message);
  });

  test("an unknown key in the models manifest", async () => {
    const dir = await models({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "models.yaml": "models:\n  iris_classifier:\n    verison: 2.0.0\n",
    });
    const svc = await spawnService({ MODELS_DIR: dir, __NO_WAIT: "1" });
    expect(await svc.proc.exited).toBe(2);
    expect(svc.output()).toMatch(/models\.yaml: models\.iris_classifier\.verison is not a known key/);
  });
});

describe("secrets stay out of the logs", () => {
  test("neither configured token is ever printed, whatever the requests", async () => {
    const admin = "configured-admin-token-7f3a9c";
    const inference = "configured-inference-token-2b8d4e";
    const dir = await models({ "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } });
    const svc = await spawnService({ MODELS_DIR: dir, ADMIN_TOKEN: admin, INFERENCE_TOKEN: inference, LOG_LEVEL: "debug" });
    await svc.waitFor(/Loaded \d+ models/);
    const send = (path: string, token?: string, body?: unknown) =>
      fetch(`${svc.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await send("/api/v1/models/reload", admin, {});
    await send("/api/v1/models/reload", inference, {});
    await send("/api/v1/models/reload", `${admin}x`, {});
    await send("/api/v1/models/registry", inference);
    await send("/v2/models/iris_classifier/infer", inference, { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [1, 2, 3] }] });
    await send("/v2/repository/models/iris_classifier/unload", admin, {});
    await send("/v2/repository/models/iris_classifier/load", admin, {});
    svc.proc.kill("SIGTERM");
    expect(await svc.proc.exited).toBe(0);
    expect(svc.output()).not.toContain(admin);
    expect(svc.output()).not.toContain(inference);
    expect(svc.output()).not.toContain("generated one for this run");
  }, 120_000);
});
