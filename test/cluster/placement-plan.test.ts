import { describe, expect, test } from "bun:test";
import { planPlacement, rendezvous } from "../../src/cluster/placement-plan.ts";
import type { ReplicaModel, ReplicaRecord } from "../../src/cluster/replica-record.ts";

const MIB = 2 ** 20;

function model(name: string, fields: Partial<ReplicaModel> = {}): ReplicaModel {
  return { name, model: name, version: "1", status: "unloaded", memory_bytes: null, size_bytes: MIB, requests_per_minute: 0, copies: null, wanted: true, required: false, ...fields };
}

function replica(id: string, models: ReplicaModel[], memory: Partial<ReplicaRecord["memory"]> = {}): ReplicaRecord {
  return {
    id,
    address: `http://${id}:3000`,
    instance: id,
    started_at: 0,
    heartbeat_at: 0,
    memory: { budget_bytes: null, used_bytes: 0, ...memory },
    load: { in_flight: 0, requests_per_minute: 0 },
    models,
  };
}

const none = new Set<string>();

describe("planPlacement", () => {
  test("copies default to every replica that has the model (today's behaviour)", () => {
    const plan = planPlacement({ replicas: ["a", "b", "c"].map((id) => replica(id, [model("m")])), unloaded: none, scaleUpRpm: 2000 });
    expect(plan.get("m")).toMatchObject({ desired: 3, target: ["a", "b", "c"], copies: null });
  });

  test("manifest copies: current holders keep theirs, missing copies go where there is most free memory", () => {
    const replicas = [
      replica("a", [model("m", { copies: 2, status: "loaded", memory_bytes: 10 * MIB })], { budget_bytes: 100 * MIB, used_bytes: 10 * MIB }),
      replica("b", [model("m", { copies: 2 })], { budget_bytes: 100 * MIB, used_bytes: 90 * MIB }),
      replica("c", [model("m", { copies: 2 })], { budget_bytes: 100 * MIB, used_bytes: 20 * MIB }),
    ];
    expect(planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000 }).get("m")).toMatchObject({ desired: 2, target: ["a", "c"], holders: ["a"] });
  });

  test("a copy never goes where it does not fit under the budget, nor where it failed", () => {
    const replicas = [
      replica("a", [model("big", { copies: 1, size_bytes: 50 * MIB })], { budget_bytes: 100 * MIB, used_bytes: 80 * MIB }),
      replica("b", [model("big", { copies: 1, size_bytes: 50 * MIB, status: "failed" })], { budget_bytes: 100 * MIB, used_bytes: 0 }),
    ];
    expect(planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000 }).get("big")).toMatchObject({ desired: 1, target: [] });
  });

  test("the models placed in one plan use up the room they are given", () => {
    const replicas = ["a", "b"].map((id) => replica(id, [model("x", { copies: 1, size_bytes: 60 * MIB }), model("y", { copies: 1, size_bytes: 50 * MIB })], { budget_bytes: 100 * MIB }));
    const plan = planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000 });
    expect(plan.get("x")!.target).toHaveLength(1);
    expect(plan.get("y")!.target).toHaveLength(1);
    expect(plan.get("x")!.target).not.toEqual(plan.get("y")!.target);
  });

  test("copies grow with the request rate and shrink back when it falls", () => {
    const busy = ["a", "b", "c"].map((id) => replica(id, [model("m", { copies: 1, status: id === "a" ? "loaded" : "unloaded", requests_per_minute: id === "a" ? 4500 : 0 })]));
    expect(planPlacement({ replicas: busy, unloaded: none, scaleUpRpm: 2000 }).get("m")).toMatchObject({ desired: 3, requestsPerMinute: 4500 });
    const calm = busy.map((record) => ({ ...record, models: record.models.map((entry) => ({ ...entry, requests_per_minute: entry.requests_per_minute > 0 ? 100 : 0, status: "loaded" as const })) }));
    const plan = planPlacement({ replicas: calm, unloaded: none, scaleUpRpm: 2000 }).get("m")!;
    expect(plan.desired).toBe(1);
    expect(plan.target).toHaveLength(1);
    expect(plan.holders).toEqual(["a", "b", "c"]);
    expect(planPlacement({ replicas: busy, unloaded: none, scaleUpRpm: 0 }).get("m")!.desired).toBe(1);
  });

  test("a model unloaded on purpose gets no copy; a load-on-first-use model none until used", () => {
    const replicas = ["a", "b"].map((id) => replica(id, [model("gone"), model("lazy", { wanted: false })]));
    const plan = planPlacement({ replicas, unloaded: new Set(["gone"]), scaleUpRpm: 2000 });
    expect(plan.get("gone")).toMatchObject({ desired: 0, target: [] });
    expect(plan.get("lazy")).toMatchObject({ desired: 0, target: [] });
    expect(planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000, wanted: new Set(["lazy"]) }).get("lazy")!.desired).toBe(2);
  });

  test("a required model is held by every replica whatever its copies", () => {
    const replicas = ["a", "b", "c"].map((id) => replica(id, [model("r", { copies: 1, required: true })]));
    expect(planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000 }).get("r")).toMatchObject({ desired: 3, copies: null });
  });

  test("every replica computes the same plan, whatever order the records come in", () => {
    const replicas = ["a", "b", "c", "d"].map((id) => replica(id, ["m1", "m2", "m3", "m4", "m5"].map((name) => model(name, { copies: 1 }))));
    const one = planPlacement({ replicas, unloaded: none, scaleUpRpm: 2000 });
    const other = planPlacement({ replicas: [...replicas].reverse(), unloaded: none, scaleUpRpm: 2000 });
    expect([...other].sort()).toEqual([...one].sort());
    // Rendezvous hashing spreads equal candidates: five models do not all land on one replica.
    expect(new Set([...one.values()].map((placement) => placement.target[0])).size).toBeGreaterThan(1);
  });

  test("holders are read from the records given, never remembered: a replica gone is no holder", () => {
    const before = ["a", "b"].map((id) => replica(id, [model("m", { copies: 1, status: id === "a" ? "loaded" : "unloaded" })]));
    expect(planPlacement({ replicas: before, unloaded: none, scaleUpRpm: 2000 }).get("m")).toMatchObject({ holders: ["a"], target: ["a"] });
    expect(planPlacement({ replicas: before.slice(1), unloaded: none, scaleUpRpm: 2000 }).get("m")).toMatchObject({ holders: [], target: ["b"] });
  });

  test("rendezvous scores are stable and differ between replicas", () => {
    expect(rendezvous("iris", "a")).toBe(rendezvous("iris", "a"));
    expect(rendezvous("iris", "a")).not.toBe(rendezvous("iris", "b"));
  });
});
