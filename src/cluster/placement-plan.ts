import { HOLDING, type ReplicaModel, type ReplicaRecord } from "./replica-record.ts";

/** What a plan is computed from: nothing but the live records and the cluster-wide settings. */
export interface PlanInput {
  /** Every live replica's record. */
  replicas: readonly ReplicaRecord[];
  /** Models unloaded on purpose: they get no copy until a load names them. */
  unloaded: ReadonlySet<string>;
  /** Requests a minute one copy serves before another is added (0: never). */
  scaleUpRpm: number;
  /** Models to place even if nothing asked for them yet (a load or reload that names them). */
  wanted?: ReadonlySet<string>;
}

/** Where one model (one cache record) should be. */
export interface ModelPlacement {
  /** The model's name, as clients ask for it. */
  model: string;
  version: string;
  /** Copies the model should have now: its manifest `copies` (or every replica), more while its request rate needs them. */
  desired: number;
  /** Replicas that should hold it: current holders first, then the ones with the most free memory. */
  target: string[];
  /** Replicas that hold it loaded now. */
  holders: string[];
  /** Replicas loading it now. */
  loading: string[];
  /** Requests a minute over every replica that served it. */
  requestsPerMinute: number;
  /** Manifest `copies` (null: every replica). */
  copies: number | null;
  /** Replicas whose record lists the model (their models folder has it). */
  reporters: number;
}

/** Free memory of a replica without a budget: large, so that "most free" means "least used". */
const NO_BUDGET = 2 ** 50;

/**
 * Decides which replicas should hold each model. Pure and deterministic: every replica that reads
 * the same records computes the same plan, so each can act on its own share without asking the
 * others. The rules, per model (largest first, so that big models find room first):
 *
 * - desired copies = manifest `copies` (default, and always for a required model: every replica
 *   that has the model), raised to
 *   ⌈requests a minute ÷ `scaleUpRpm`⌉ while the traffic needs more, capped at the replicas that
 *   have it; 0 for a model unloaded on purpose, or one that loads on first use and was never used;
 * - replicas holding it (or loading it) keep it, preferring loaded copies;
 * - missing copies go to the replicas with the most free memory under their budget (least used
 *   without one) where its size fits, never to one where it failed, ties broken by rendezvous
 *   hashing so that the choice is stable and spread out.
 *
 * @example
 * const plan = planPlacement({ replicas, unloaded: new Set(), scaleUpRpm: 2000 });
 * plan.get("iris")?.target; // ["replica-b"]
 */
export function planPlacement(input: PlanInput): Map<string, ModelPlacement> {
  const free = new Map(input.replicas.map((replica) => [replica.id, (replica.memory.budget_bytes ?? NO_BUDGET) - replica.memory.used_bytes]));
  const budgeted = new Set(input.replicas.filter((replica) => replica.memory.budget_bytes !== null).map((replica) => replica.id));
  const reports = new Map<string, { replica: ReplicaRecord; model: ReplicaModel }[]>();
  for (const replica of input.replicas) {
    for (const model of replica.models) {
      let list = reports.get(model.name);
      if (list === undefined) reports.set(model.name, (list = []));
      list.push({ replica, model });
    }
  }
  const sizes = new Map([...reports].map(([name, list]) => [name, sizeOf(list.map((report) => report.model))]));
  const order = [...reports.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const plan = new Map<string, ModelPlacement>();
  for (const name of order) {
    const list = reports.get(name)!;
    const size = sizes.get(name)!;
    // The first replica by id speaks for the manifest: replicas normally share one.
    const { wanted, required } = list[0]!.model;
    // Each replica's readiness waits for a required model: every replica holds one.
    const copies = required ? null : list[0]!.model.copies;
    // Scores computed once per model: sorting calls for them many times.
    const scores = new Map(list.map((report) => [report.replica.id, rendezvous(name, report.replica.id)]));
    const hash = (id: string) => scores.get(id)!;
    const holders = list.filter((report) => report.model.status === "loaded").map((report) => report.replica.id);
    const loading = list.filter((report) => report.model.status === "loading").map((report) => report.replica.id);
    const requestsPerMinute = list.reduce((sum, report) => sum + report.model.requests_per_minute, 0);
    const held = holders.length + loading.length > 0;
    const base = input.unloaded.has(name) ? 0 : wanted || held || input.wanted?.has(name) ? Math.min(copies ?? list.length, list.length) : 0;
    const byRate = base > 0 && input.scaleUpRpm > 0 ? Math.ceil(requestsPerMinute / input.scaleUpRpm) : 0;
    const desired = Math.min(list.length, Math.max(base, byRate));
    const holding = list.filter((report) => HOLDING.includes(report.model.status));
    // Sorting is needed only to choose among more holders than wanted, or among candidates.
    if (holding.length > desired) {
      holding.sort((a, b) => Number(b.model.status === "loaded") - Number(a.model.status === "loaded") || hash(b.replica.id) - hash(a.replica.id));
    }
    const keep = holding.slice(0, desired).map((report) => report.replica.id);
    const need = desired - keep.length;
    const added =
      need <= 0
        ? []
        : list
            .filter((report) => !HOLDING.includes(report.model.status) && report.model.status !== "failed")
            .map((report) => report.replica.id)
            .filter((id) => !budgeted.has(id) || free.get(id)! >= size)
            .sort((a, b) => free.get(b)! - free.get(a)! || hash(b) - hash(a))
            .slice(0, need);
    for (const id of added) free.set(id, free.get(id)! - size);
    const { model, version } = list[0]!.model;
    plan.set(name, { model, version, desired, target: [...keep, ...added].sort(), holders: holders.sort(), loading: loading.sort(), requestsPerMinute, copies, reporters: list.length });
  }
  return plan;
}

/** What one copy will hold: the largest measured copy, else the largest size on disk. */
function sizeOf(models: ReplicaModel[]): number {
  const measured = Math.max(0, ...models.map((model) => model.memory_bytes ?? 0));
  return measured > 0 ? measured : Math.max(0, ...models.map((model) => model.size_bytes ?? 0));
}

/** Rendezvous (highest random weight) score of a model on a replica: FNV-1a of both names. */
export function rendezvous(model: string, replica: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${model}\n${replica}`) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
