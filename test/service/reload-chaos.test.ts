/**
 * Issue 5, "Reload and unload under load": which instance answers each request during a reload,
 * when old instances are released, what a failed reload leaves behind, and 32 clients reloading,
 * loading and unloading one model at random while others use it (RELOAD_CHAOS_SECONDS, default
 * 30). The memory side (1,000 reloads) is `bun run soak`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runChaosClients, type ChaosAction } from "../helpers/chaos-clients.ts";
import { InstanceLedger, type InstanceEntry } from "../helpers/instance-ledger.ts";
import { SlowBackend, SlowModel } from "../helpers/slow-model.ts";
import { SERVICE_HOOK_LIMIT_MS, SLOW_MACHINE_LIMIT_MS } from "../helpers/limits.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { getJson, postJson, startTestService, type TestService } from "../helpers/test-service.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";

const SETOSA = [5.1, 3.5, 1.4, 0.2];
const VIRGINICA = [6.7, 3.0, 5.2, 2.3];
const POSITIVE_TEXT = "an excellent, lovely film";

/** An iris request of `rows` rows (setosa, virginica, setosa, …): its batch size names it. */
function irisRequest(rows: number) {
  const data = Array.from({ length: rows }, (_, row) => (row % 2 === 0 ? SETOSA : VIRGINICA)).flat();
  return { inputs: [{ name: "input", datatype: "FP32", shape: [rows, 4], data }] };
}
const irisLabels = (rows: number) => Array.from({ length: rows }, (_, row) => (row % 2 === 0 ? 0 : 2));

let ledger: InstanceLedger;

beforeAll(() => {
  ledger = InstanceLedger.install();
});

afterAll(() => {
  ledger?.restore();
});

/** Waits until the hosts hold exactly `expected` instances (by host name), in the pool's count and in the workers. */
async function settleHosts(svc: TestService, expected: Record<string, number>) {
  let hosts = await svc.service.hosts.describe(true);
  const matches = () =>
    Object.entries(expected).every(([name, count]) => {
      const host = hosts.find((info) => info.name === name);
      return host?.instances === count && host.memory?.instances === count;
    });
  // Releases reach the workers asynchronously; give them until waitFor's limit, then report.
  await waitFor("the hosts to settle", async () => matches() || ((hosts = await svc.service.hosts.describe(true)), matches()), SLOW_MACHINE_LIMIT_MS, 10).catch(() => undefined);
  const other = modelHost(svc) === "native" ? "wasm-0" : "native";
  // The other model host holds nothing (it may have started to try a model the first refused).
  const used = hosts.filter((host) => host.name !== other || host.instances > 0 || (host.memory?.instances ?? 0) > 0);
  return Object.fromEntries(used.map((host) => [host.name, { pool: host.instances, worker: host.memory?.instances }]));
}

/** The host that runs the demo models here (native or WASM, as ONNX_BACKEND and their size decide). */
const modelHost = (svc: TestService) =>
  String(svc.service.cache.getRegistry().models.find((model) => model.name === "iris_classifier")?.details?.host ?? "wasm-0");

const expectedHosts = (svc: TestService, models: number, lexicon: number) => ({
  [modelHost(svc)]: { pool: models, worker: models },
  lexicon: { pool: lexicon, worker: lexicon },
  // No Prophet model in these folders: its worker never starts.
  prophet: { pool: 0, worker: undefined },
});

describe("a reload of every model under 200 concurrent requests", () => {
  let models: TempModels;
  let svc: TestService;
  const slowBackend = new SlowBackend();

  beforeAll(async () => {
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
    });
    ledger.clear();
    svc = await startTestService({ MODELS_DIR: models.dir }, { backends: [slowBackend] });
  }, SERVICE_HOOK_LIMIT_MS);

  afterAll(async () => {
    await svc?.stop();
    await models?.cleanup();
  }, SERVICE_HOOK_LIMIT_MS);

  test("each response comes from a complete old or new instance; old ones are released after their last request", async () => {
    const names = ["iris_classifier", "sentiment-distilbert"] as const;
    const old = Object.fromEntries(names.map((name) => [name, ledger.of(name).at(-1)!])) as Record<(typeof names)[number], InstanceEntry>;
    const send = (name: (typeof names)[number], size: number) =>
      name === "iris_classifier"
        ? postJson(`${svc.url}/v2/models/iris_classifier/infer`, irisRequest(size))
        : postJson(`${svc.url}/api/v1/sentiment`, { texts: Array.from({ length: size }, () => POSITIVE_TEXT) });
    const sent: { name: (typeof names)[number]; size: number; reply: ReturnType<typeof send> }[] = [];
    const fire = (name: (typeof names)[number], size: number) => sent.push({ name, size, reply: send(name, size) });

    // 40 requests in flight before the reload, 120 paced through it (each takes its lease on the
    // old instance until the swap: those queued behind the new session's creation in the host
    // are still running on the old one after the swap), 40 once each model has swapped.
    for (let size = 1; size <= 20; size++) for (const name of names) fire(name, size);
    const reload = postJson(`${svc.url}/api/v1/models/reload`, {}, svc.admin);
    for (let size = 21; size <= 80; size++) {
      for (const name of names) fire(name, size);
      await sleep(2);
    }
    for (const name of names) {
      while (ledger.of(name).length < 2) await sleep(1);
      for (let size = 81; size <= 100; size++) fire(name, size);
    }
    const reloaded = await reload;
    expect(reloaded.status).toBe(200);
    expect(reloaded.body).toMatchObject({ status: "reloaded", failed_count: 0, loaded_models: ["iris_classifier", "lexicon", "sentiment-distilbert"] });

    for (const { name, size, reply } of sent) {
      const { status, body } = await reply;
      expect({ name, size, status }).toEqual({ name, size, status: 200 });
      if (name === "iris_classifier") expect(body.outputs[0].data).toEqual(irisLabels(size));
      else for (const result of body.results) expect(result).toMatchObject({ label: "POSITIVE", backend: "transformer", model: name });
    }

    let spanning = 0;
    for (const name of names) {
      const instances = ledger.of(name);
      expect(instances.map((entry) => entry.id)).toEqual([old[name].id, expect.any(String)]);
      const [before, after] = instances as [InstanceEntry, InstanceEntry];
      // Each request is one call on one instance; its batch size says which request it was.
      const bySize = new Map<number, InstanceEntry[]>();
      for (const entry of instances) for (const call of entry.calls) bySize.set(call.size, [...(bySize.get(call.size) ?? []), entry]);
      for (let size = 1; size <= 100; size++) expect(bySize.get(size)?.length).toBe(1);
      expect(before.calls.length).toBeGreaterThan(0);
      expect(after.calls.length).toBeGreaterThanOrEqual(20);
      // Every call ran on an instance whose load had finished (the host held its whole session).
      for (const entry of instances) for (const call of entry.calls) expect(call.start).toBeGreaterThanOrEqual(entry.loadedAt);
      // The old instance was released once, after the end of its last call.
      expect(before.disposeCalls).toBe(1);
      const lastEnd = Math.max(...before.calls.map((call) => call.end!));
      expect(before.disposedAt!).toBeGreaterThanOrEqual(lastEnd);
      expect(after.disposedAt).toBeUndefined();
      spanning += before.calls.filter((call) => call.end! > after.loadedAt).length;
    }
    // Some requests were still running on the old instances when the new ones took over.
    expect(spanning).toBeGreaterThan(0);
    expect(ledger.violations).toEqual([]);

    const registry = (await getJson(`${svc.url}/api/v1/models/registry`)).body;
    for (const entry of registry.models.filter((model: { name: string }) => model.name !== "slow")) {
      expect(entry).toMatchObject({ status: "loaded", load_count: 2, failure_count: 0, in_flight: 0, reloading: false });
    }
    expect(await settleHosts(svc, { [modelHost(svc)]: 2, lexicon: 1 })).toEqual(expectedHosts(svc, 2, 1));
  });

  test("a slow model: requests in flight at the swap finish on the old instance, which is disposed after them", async () => {
    svc.service.cache.setModel("slow", new SlowModel(0, slowBackend.events), { modelType: "custom" });
    const events = slowBackend.events;
    /** Sends one request; resolves with the generation that answered it (or the HTTP status). */
    const infer = async () => {
      const { status, body } = await postJson(`${svc.url}/v2/models/slow/infer`, { inputs: [{ name: "x", datatype: "FP32", shape: [1], data: [1] }] });
      return status === 200 ? (body.outputs[0].data[0] as number) : `HTTP ${status}`;
    };
    const before = Array.from({ length: 20 }, infer);
    await waitFor("the first 20 requests to start", () => events.filter((event) => event === "start 0").length === 20, SLOW_MACHINE_LIMIT_MS, 2);
    // Generation 1's load lasts until released: the requests below are sent during it, whatever
    // the machine's speed.
    const release = slowBackend.hold();
    const reload = postJson(`${svc.url}/api/v1/models/reload`, { models: ["slow"] }, svc.admin);
    await waitFor("the reload to start", () => svc.service.cache.entry("slow")?.reloading === true, SLOW_MACHINE_LIMIT_MS, 2);
    const during = Array.from({ length: 10 }, infer);
    await waitFor("the 10 requests sent during the reload to start", () => events.filter((event) => event === "start 0").length === 30, SLOW_MACHINE_LIMIT_MS, 2);
    release();
    expect((await reload).status).toBe(200);
    expect(svc.service.cache.entry("slow")).toMatchObject({ status: "loaded", load_count: 2 });
    const after = Array.from({ length: 10 }, infer);

    expect(await Promise.all(before)).toEqual(Array(20).fill(0));
    expect(await Promise.all(during)).toEqual(Array(10).fill(0));
    expect(await Promise.all(after)).toEqual(Array(10).fill(1));
    await waitFor("generation 0 to be disposed", () => events.includes("dispose 0"));
    // Generation 1 was loaded while generation 0 still ran requests; generation 0 was disposed
    // once, after the end of its 30th and last request, never during one.
    expect(events.filter((event) => event === "end 0").length).toBe(30);
    expect(events.indexOf("loaded 1")).toBeLessThan(events.lastIndexOf("end 0"));
    expect(events.lastIndexOf("end 0")).toBeLessThan(events.indexOf("dispose 0"));
    expect(events.filter((event) => event === "dispose 0").length).toBe(1);
    expect(events.filter((event) => event.startsWith("error"))).toEqual([]);
    expect(events).not.toContain("dispose 1");
    expect(svc.service.cache.entry("slow")).toMatchObject({ in_flight: 0, failure_count: 0 });
  });

  test("a reload that fails keeps the old instance serving and shows the attempt; a good file then loads afresh", async () => {
    const irisFile = join(models.dir, "iris_classifier.onnx");
    const bertFile = join(models.dir, "sentiment-distilbert/onnx/model.onnx");
    const [irisBytes, bertBytes] = await Promise.all([readFile(irisFile), readFile(bertFile)]);
    const serving = { iris: ledger.of("iris_classifier").at(-1)!.id, bert: ledger.of("sentiment-distilbert").at(-1)!.id };
    const before = svc.service.cache.getRegistry().models;
    const counts = (name: string) => before.find((model) => model.name === name)!;
    // Half an ONNX file: refused on the HTTP thread. A transformer's weights cut short: refused in the host.
    await truncate(irisFile, Math.floor(irisBytes.length / 2));
    await truncate(bertFile, Math.floor(bertBytes.length / 2));

    const reload = await postJson(`${svc.url}/api/v1/models/reload`, { models: ["iris_classifier", "sentiment-distilbert"] }, svc.admin);
    expect(reload.status).toBe(200);
    const load = await postJson(`${svc.url}/v2/repository/models/iris_classifier/load`, {}, svc.admin);
    expect(load.status).toBe(400);
    expect(load.body.error).toContain("iris_classifier.onnx");

    for (const name of ["iris_classifier", "sentiment-distilbert"]) {
      const entry = svc.service.cache.entry(name)!;
      expect(entry).toMatchObject({ status: "loaded", load_count: counts(name).load_count, reloading: false, in_flight: 0 });
      expect(entry.error).toBeUndefined();
      expect(entry.last_error).toEqual(expect.any(String));
      expect(entry.failure_count).toBe(counts(name).failure_count + (name === "iris_classifier" ? 2 : 1));
    }
    expect(svc.service.cache.entry("iris_classifier")!.last_error).toContain("not a valid ONNX model");
    expect(svc.service.cache.entry("sentiment-distilbert")!.last_error).toContain("transformers.js could not load the model");
    // The old instances answer, correctly, and nothing the failed loads made is left in a host.
    const iris = await postJson(`${svc.url}/v2/models/iris_classifier/infer`, irisRequest(4));
    expect(iris.body.outputs[0].data).toEqual(irisLabels(4));
    const sentiment = await postJson(`${svc.url}/api/v1/sentiment`, { text: POSITIVE_TEXT });
    expect(sentiment.body).toMatchObject({ label: "POSITIVE", backend: "transformer", model: "sentiment-distilbert" });
    expect(ledger.of("iris_classifier").at(-1)!.id).toBe(serving.iris);
    expect(ledger.of("sentiment-distilbert").at(-1)!.id).toBe(serving.bert);
    expect(await settleHosts(svc, { [modelHost(svc)]: 2, lexicon: 1 })).toEqual(expectedHosts(svc, 2, 1));

    await writeFile(irisFile, irisBytes);
    await writeFile(bertFile, bertBytes);
    const restored = await postJson(`${svc.url}/api/v1/models/reload`, { models: ["iris_classifier", "sentiment-distilbert"] }, svc.admin);
    expect(restored.body).toMatchObject({ loaded_models: ["iris_classifier", "sentiment-distilbert"], failed_count: 0 });
    for (const name of ["iris_classifier", "sentiment-distilbert"]) {
      expect(svc.service.cache.entry(name)).toMatchObject({ status: "loaded", load_count: counts(name).load_count + 1 });
    }
    expect(ledger.of("iris_classifier").at(-1)!.id).not.toBe(serving.iris);
    expect(ledger.of("sentiment-distilbert").at(-1)!.id).not.toBe(serving.bert);
    expect((await postJson(`${svc.url}/v2/models/iris_classifier/infer`, irisRequest(3))).body.outputs[0].data).toEqual(irisLabels(3));
    expect(await settleHosts(svc, { [modelHost(svc)]: 2, lexicon: 1 })).toEqual(expectedHosts(svc, 2, 1));
    expect(ledger.violations).toEqual([]);
  });
});

const CHAOS_SECONDS = Number(process.env.RELOAD_CHAOS_SECONDS ?? 30);
const CHAOS_SEED = Number(process.env.RELOAD_CHAOS_SEED ?? Date.now() % 100_000);

describe("32 clients reload, load and unload one model at random while it and another serve", () => {
  const target = "sentiment-distilbert";
  const other = "iris_classifier";
  let models: TempModels;
  let svc: TestService;

  beforeAll(async () => {
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sentiment-distilbert": { copy: join(DEMO_MODELS, "sentiment-distilbert") },
      // Readiness waits for iris only: unloading the transformer must not make the service unready.
      "models.yaml": "models:\n  iris_classifier:\n    required: true\n",
    });
    ledger.clear();
    svc = await startTestService({ MODELS_DIR: models.dir, LOG_LEVEL: "warn" });
  }, SERVICE_HOOK_LIMIT_MS);

  afterAll(async () => {
    await svc?.stop();
    await models?.cleanup();
  }, SERVICE_HOOK_LIMIT_MS);

  /** POST or GET with the run's time limit; status plus parsed body. */
  const call = async (signal: AbortSignal, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = body === undefined ? { signal } : { signal, method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
    const response = await fetch(`${svc.url}${path}`, init);
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };
  const text = { inputs: [{ name: "text", datatype: "BYTES", shape: [1], data: [POSITIVE_TEXT] }] };
  const admin = (path: string, body: unknown) => async (signal: AbortSignal) => {
    const { status, body: answer } = await call(signal, path, body, svc.admin);
    return status === 200 ? "200" : `${status} ${JSON.stringify(answer?.error)}`;
  };
  const actions: ChaosAction[] = [
    { name: "reload", weight: 2, run: admin("/api/v1/models/reload", { models: [target] }) },
    { name: "load", weight: 2, run: admin(`/v2/repository/models/${target}/load`, {}) },
    { name: "unload", weight: 1, run: admin(`/v2/repository/models/${target}/unload`, {}) },
    {
      name: `infer ${target}`,
      weight: 4,
      run: async (signal) => {
        const { status, body } = await call(signal, `/v2/models/${target}/infer`, text);
        if (status === 200) return body.outputs.find((output: { name: string }) => output.name === "label")?.data[0] === "POSITIVE" ? "200" : "200 wrong answer";
        return status === 503 && /is not ready: it is (unloaded|loading)/.test(body?.error) ? "503 not ready" : `${status} ${JSON.stringify(body)}`;
      },
    },
    {
      name: `infer ${other}`,
      weight: 3,
      run: async (signal) => {
        const { status, body } = await call(signal, `/v2/models/${other}/infer`, irisRequest(2));
        return status === 200 ? (isDeepStrictEqual(body.outputs[0].data, irisLabels(2)) ? "200" : "200 wrong answer") : `${status} ${JSON.stringify(body)}`;
      },
    },
    {
      name: "sentiment",
      weight: 2,
      run: async (signal) => {
        const { status, body } = await call(signal, "/api/v1/sentiment", { text: POSITIVE_TEXT });
        return status === 200 ? (body.label === "POSITIVE" ? `200 ${body.backend}` : "200 wrong answer") : `${status} ${JSON.stringify(body)}`;
      },
    },
    {
      name: "probes",
      weight: 2,
      run: async (signal) => {
        const [live, ready] = await Promise.all([call(signal, "/v2/health/live"), call(signal, "/v2/health/ready")]);
        return `live ${live.status}, ready ${ready.status}`;
      },
    },
  ];

  test(
    `for ${CHAOS_SECONDS} s (RELOAD_CHAOS_SECONDS): only documented answers, nothing hangs, the registry ends consistent`,
    async () => {
      // A request unanswered for SLOW_MACHINE_LIMIT_MS is a hang, not a slow machine.
      const report = await runChaosClients({ clients: 32, durationMs: CHAOS_SECONDS * 1000, requestTimeoutMs: SLOW_MACHINE_LIMIT_MS, seed: CHAOS_SEED, actions });
      const done = (name: string) => report.outcomes[name]?.["200"] ?? 0;
      console.log(`reload chaos (seed ${CHAOS_SEED}): ${report.requests} requests in ${CHAOS_SECONDS} s`, JSON.stringify(report, null, 1));

      expect(report.outcomes.reload).toEqual({ "200": done("reload") });
      expect(report.outcomes.load).toEqual({ "200": done("load") });
      expect(report.outcomes.unload).toEqual({ "200": done("unload") });
      for (const outcome of Object.keys(report.outcomes[`infer ${target}`] ?? {})) expect(["200", "503 not ready"]).toContain(outcome);
      expect(report.outcomes[`infer ${other}`]).toEqual({ "200": done(`infer ${other}`) });
      for (const outcome of Object.keys(report.outcomes.sentiment!)) expect(["200 transformer", "200 lexicon"]).toContain(outcome);
      expect(report.outcomes.probes).toEqual({ "live 200, ready 200": report.outcomes.probes!["live 200, ready 200"]! });
      for (const name of ["reload", "load", "unload"]) expect(done(name)).toBeGreaterThan(0);

      // The registry agrees with itself, with the hosts and with what inference answers.
      const registry = (await getJson(`${svc.url}/api/v1/models/registry`)).body;
      const entry = registry.models.find((model: { name: string }) => model.name === target);
      expect(["loaded", "unloaded"]).toContain(entry.status);
      const loaded = entry.status === "loaded";
      for (const model of registry.models) expect(model).toMatchObject({ in_flight: 0, reloading: false, failure_count: 0 });
      expect(registry.models.find((model: { name: string }) => model.name === other)).toMatchObject({ status: "loaded", load_count: 1 });
      const answer = await postJson(`${svc.url}/v2/models/${target}/infer`, text);
      expect(answer.status).toBe(loaded ? 200 : 503);
      expect((await getJson(`${svc.url}/v2/models/${target}/ready`)).status).toBe(loaded ? 200 : 503);
      expect(await settleHosts(svc, { [modelHost(svc)]: loaded ? 2 : 1, lexicon: 1 })).toEqual(expectedHosts(svc, loaded ? 2 : 1, 1));
      // Every instance loaded was installed (load_count) and every one but the serving one released once.
      const instances = ledger.of(target);
      expect(instances.length).toBe(entry.load_count);
      expect(entry.load_count - 1).toBeLessThanOrEqual(done("reload") + done("load"));
      expect(instances.map((instance) => instance.disposeCalls)).toEqual(instances.map((_, i) => (loaded && i === instances.length - 1 ? 0 : 1)));
      expect(ledger.violations).toEqual([]);
      console.log(`${target} ended ${entry.status}: load_count ${entry.load_count}, ${instances.length} instances made, ${instances.filter((i) => i.disposeCalls > 0).length} released`);

      const load = await postJson(`${svc.url}/v2/repository/models/${target}/load`, {}, svc.admin);
      expect(load).toMatchObject({ status: 200, body: { name: target, state: "READY" } });
      const after = await postJson(`${svc.url}/v2/models/${target}/infer`, text);
      expect(after.status).toBe(200);
      expect(after.body.outputs.find((output: { name: string }) => output.name === "label").data).toEqual(["POSITIVE"]);
      expect(await settleHosts(svc, { [modelHost(svc)]: 2, lexicon: 1 })).toEqual(expectedHosts(svc, 2, 1));
      expect((await getJson(`${svc.url}/v2/health/ready`)).status).toBe(200);
    },
    CHAOS_SECONDS * 1000 + SLOW_MACHINE_LIMIT_MS + 120_000,
  );
});
