/**
 * Three replicas as separate processes (`bun src/main.ts`) and a real redis-server on loopback,
 * under continuous traffic through every live replica: a replica killed with SIGKILL, Redis
 * killed and restarted empty, cluster-wide reloads during the traffic — with zero failed requests
 * (every model keeps a holder or can be loaded). Then a replica frozen (SIGSTOP) misses an unload
 * and applies it from the admin log when it wakes, and the killed replica comes back. The figures
 * are printed (docs/scaling.md quotes them).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "bun:test";
import { join } from "node:path";
import { DEMO_MODELS } from "../helpers/paths.ts";
import { redisServer, startRedis, type TestRedis } from "../helpers/redis-server.ts";
import { spawnService, type ServiceProcess } from "../helpers/service-process.ts";
import { tempModels, type TempModels } from "../helpers/temp-models.ts";
import { waitFor } from "../helpers/wait-for.ts";

const { afterAll, describe, test } = redisServer;

const ADMIN = "cluster-faults-admin-token";
const auth = { authorization: `Bearer ${ADMIN}` };
const HEARTBEAT_MS = 250;
const EXPIRY_MS = 1500;

/** The requests clients send, one model each: a copy on one replica, on two, and on all three. */
const REQUESTS = [
  { model: "iris_classifier", path: "/v2/models/iris_classifier/infer", body: { inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] } },
  { model: "sales_forecast", path: "/api/v1/models/sales_forecast/forecast", body: { periods: 3 } },
  { model: "linear-external", path: "/v2/models/linear-external/infer", body: { inputs: [{ name: "x", datatype: "FP32", shape: [1, 8], data: [1, 2, 3, 4, 5, 6, 7, 8] }] } },
];

interface Failure {
  phase: string;
  replica: string;
  model: string;
  status: number | string;
  body: string;
}

/** Clients that keep sending requests to a random live replica until stopped. */
class Traffic {
  readonly live = new Map<string, string>();
  readonly inFlight = new Map<string, number>();
  readonly failures: Failure[] = [];
  readonly latencies: number[] = [];
  /** Latencies of the answers another replica gave (forwarded), apart. */
  readonly forwardedLatencies: number[] = [];
  readonly perPhase = new Map<string, number>();
  forwarded = 0;
  phase = "warm";
  private running = true;
  private loops: Promise<void>[] = [];

  start(clients: number): void {
    this.loops = Array.from({ length: clients }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Takes a replica out of rotation (as a load balancer would) and waits for its requests in flight. */
  async drain(id: string): Promise<void> {
    this.live.delete(id);
    await waitFor(`requests in flight to ${id} to finish`, () => (this.inFlight.get(id) ?? 0) === 0, 30_000, 5);
  }

  get total(): number {
    return this.latencies.length + this.failures.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ids = [...this.live.keys()];
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const url = this.live.get(id)!;
      const request = REQUESTS[Math.floor(Math.random() * REQUESTS.length)]!;
      const phase = this.phase;
      this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
      const started = performance.now();
      try {
        const response = await fetch(url + request.path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body) });
        const text = await response.text();
        if (response.status !== 200) this.failures.push({ phase, replica: id, model: request.model, status: response.status, body: text.slice(0, 300) });
        else {
          const took = performance.now() - started;
          this.latencies.push(took);
          if (response.headers.get("x-model-cache-replica") !== id) {
            this.forwarded++;
            this.forwardedLatencies.push(took);
          }
        }
      } catch (error) {
        this.failures.push({ phase, replica: id, model: request.model, status: "network", body: String(error) });
      } finally {
        this.inFlight.set(id, this.inFlight.get(id)! - 1);
      }
      this.perPhase.set(phase, (this.perPhase.get(phase) ?? 0) + 1);
    }
  }
}

async function view(url: string): Promise<any> {
  const response = await fetch(`${url}/api/v1/cluster`);
  return response.json();
}

function holdersOf(clusterView: any, model: string): string[] {
  return clusterView.models.find((entry: any) => entry.name === model)?.holders ?? [];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe("cluster faults: 3 replica processes, a real Redis, traffic throughout", () => {
  let redis: TestRedis | undefined;
  let models: TempModels | undefined;
  const procs = new Map<string, ServiceProcess>();

  afterAll(async () => {
    for (const svc of procs.values()) {
      svc.proc.kill("SIGCONT");
      svc.proc.kill("SIGKILL");
      await svc.proc.exited;
    }
    await redis?.stop();
    await models?.cleanup();
  }, 60_000);

  test("kill -9 a replica, restart Redis, reload during load: zero failed requests; a frozen replica catches up", async () => {
    redis = await startRedis();
    models = await tempModels({
      "iris_classifier.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") },
      "sales_forecast.json": { copy: join(DEMO_MODELS, "sales_forecast.json") },
      "linear-external": { copy: join(DEMO_MODELS, "linear-external") },
      "models.yaml": "models:\n  iris_classifier:\n    copies: 1\n  sales_forecast:\n    copies: 2\n",
    });
    const env = (id: string) => ({
      MODELS_DIR: models!.dir,
      ADMIN_TOKEN: ADMIN,
      WATCH_MODELS: "false",
      CLUSTER_REDIS_URL: redis!.url,
      CLUSTER_REPLICA_ID: id,
      CLUSTER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      CLUSTER_EXPIRY_MS: String(EXPIRY_MS),
      CLUSTER_SCALE_DOWN_MS: "3000",
      // Placement stays as the manifest says (no extra copies from the test's own traffic), so that requests are forwarded.
      CLUSTER_SCALE_UP_RPM: "0",
      CLUSTER_ADMIN_TIMEOUT_MS: "20000",
    });
    const started = await Promise.all(["r1", "r2", "r3"].map(async (id) => [id, await spawnService(env(id))] as const));
    for (const [id, svc] of started) procs.set(id, svc);
    const anyUrl = () => procs.get([...traffic.live.keys()][0]!)!.url;
    const traffic = new Traffic();
    for (const [id, svc] of procs) traffic.live.set(id, svc.url);
    await waitFor(
      "the manifest's placement (iris 1 copy, sales 2, linear 3)",
      async () => {
        const current = await view(anyUrl());
        return holdersOf(current, "iris_classifier").length === 1 && holdersOf(current, "sales_forecast").length === 2 && holdersOf(current, "linear-external").length === 3;
      },
      90_000,
    );

    traffic.start(4);
    await sleep(2000);

    // 1. SIGKILL the replica that holds iris_classifier, once the load balancer stopped sending to it.
    traffic.phase = "kill -9";
    const victim = holdersOf(await view(anyUrl()), "iris_classifier")[0]!;
    await traffic.drain(victim);
    const killedAt = performance.now();
    procs.get(victim)!.proc.kill("SIGKILL");
    await procs.get(victim)!.proc.exited;
    const replaced = await waitFor(
      "iris_classifier held by a live replica, the killed one gone from the view",
      async () => {
        const current = await view(anyUrl());
        const holders = holdersOf(current, "iris_classifier");
        return !current.replicas.some((replica: any) => replica.id === victim) && holders.length >= 1 && !holders.includes(victim) ? performance.now() - killedAt : undefined;
      },
      30_000,
      20,
    );
    await waitFor("sales_forecast back to 2 live copies", async () => holdersOf(await view(anyUrl()), "sales_forecast").filter((id) => id !== victim).length === 2, 30_000);
    await sleep(1500);

    // 2. Redis killed (an empty one comes back): replicas serve what they hold, say degraded, resynchronise.
    traffic.phase = "redis down";
    const survivor = [...traffic.live.keys()][0]!;
    const redisKilledAt = performance.now();
    await redis.kill();
    await waitFor("health says degraded", async () => ((await (await fetch(`${procs.get(survivor)!.url}/api/v1/models/health`)).json()) as any).status === "degraded", 20_000);
    expect((await fetch(`${procs.get(survivor)!.url}/v2/health/ready`)).status).toBe(200);
    await sleep(2000);
    await redis.restart();
    const redisDownMs = performance.now() - redisKilledAt;
    traffic.phase = "redis back";
    const restartedAt = performance.now();
    const resync = await waitFor(
      "every live replica registered again, placement as before",
      async () => {
        const current = await view(anyUrl());
        return current.redis === "up" && current.replicas.length === 2 && holdersOf(current, "iris_classifier").length >= 1 && holdersOf(current, "linear-external").length === 2
          ? performance.now() - restartedAt
          : undefined;
      },
      30_000,
      20,
    );
    await sleep(1500);

    // 3. Cluster-wide reloads while the traffic goes on.
    traffic.phase = "reload";
    const [first, second] = [...traffic.live.values()];
    const reloads = await Promise.all([
      fetch(`${first}/api/v1/models/reload`, { method: "POST", headers: auth }),
      fetch(`${second}/api/v1/models/reload`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ models: ["iris_classifier", "sales_forecast"] }) }),
    ]);
    const answers = (await Promise.all(reloads.map((response) => response.json()))) as any[];
    expect(reloads.map((response) => response.status)).toEqual([200, 200]);
    for (const answer of answers) {
      expect(answer.failed_models).toEqual([]);
      expect(answer.replicas.map((report: any) => report.status)).toEqual(["done", "done"]);
    }
    await sleep(1500);
    await traffic.stop();

    const p50 = percentile(traffic.latencies, 50);
    const p99 = percentile(traffic.latencies, 99);
    const forwardedP50 = percentile(traffic.forwardedLatencies, 50);
    console.log(
      `[figures] cluster faults: ${traffic.total} requests through the live replicas (${[...traffic.perPhase].map(([phase, count]) => `${phase} ${count}`).join(", ")}), ` +
        `${traffic.failures.length} failed, ${traffic.forwarded} answered by another replica (forwarded, p50 ${forwardedP50.toFixed(1)} ms); all: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; ` +
        `iris_classifier re-placed ${Math.round(replaced)} ms after SIGKILL of its holder (expiry ${EXPIRY_MS} ms, heartbeat ${HEARTBEAT_MS} ms); ` +
        `Redis down ${Math.round(redisDownMs)} ms, cluster resynchronised ${Math.round(resync)} ms after it returned`,
    );
    expect(traffic.failures).toEqual([]);
    expect(traffic.total).toBeGreaterThan(200);
    expect(traffic.forwarded).toBeGreaterThan(0);

    // 4. A replica frozen (SIGSTOP) while an unload goes out: it is reported as gone, and unloads when it wakes.
    const [awake, frozen] = [...traffic.live.keys()];
    procs.get(frozen!)!.proc.kill("SIGSTOP");
    const unload = await fetch(`${procs.get(awake!)!.url}/v2/repository/models/linear-external/unload`, { method: "POST", headers: auth });
    const unloadAnswer = (await unload.json()) as any;
    expect(unload.status).toBe(200);
    expect(Object.fromEntries(unloadAnswer.replicas.map((report: any) => [report.replica, report.status]))).toEqual({ [awake!]: "done", [frozen!]: "left" });
    procs.get(frozen!)!.proc.kill("SIGCONT");
    await waitFor(
      "the frozen replica applied the unload from the admin log",
      async () => {
        const registry = (await (await fetch(`${procs.get(frozen!)!.url}/api/v1/models/registry`)).json()) as any;
        return registry.models.find((model: any) => model.name === "linear-external").status === "unloaded";
      },
      30_000,
    );

    // 5. The killed replica comes back under its id: it joins, and leaves linear-external unloaded.
    procs.set(victim, await spawnService(env(victim)));
    await waitFor("three replicas again", async () => (await view(procs.get(awake!)!.url)).replicas.length === 3, 60_000);
    await procs.get(victim)!.waitFor(/Loaded \d+ models/, 60_000);
    const back = (await (await fetch(`${procs.get(victim)!.url}/api/v1/models/registry`)).json()) as any;
    expect(back.models.find((model: any) => model.name === "linear-external").status).not.toBe("loaded");
    const final = await view(procs.get(victim)!.url);
    expect(final.models.find((model: any) => model.name === "linear-external")).toMatchObject({ holders: [], unloaded: true });
    expect(holdersOf(final, "iris_classifier").length).toBeGreaterThanOrEqual(1);

    for (const svc of procs.values()) svc.proc.kill("SIGTERM");
    expect(await Promise.all([...procs.values()].map((svc) => svc.proc.exited))).toEqual([0, 0, 0]);
    procs.clear();
  }, 300_000);
});
