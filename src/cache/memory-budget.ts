import type { Logger } from "../logging/logger.ts";
import { estimateMemory, type PastMeasure } from "./memory-estimate.ts";
import { evictionCandidates, memoryOf } from "./eviction-candidates.ts";
import type { ModelRecord } from "./model-record.ts";
import type { ModelInstance } from "./model-types.ts";

/** What a MemoryBudget is built from. */
export interface MemoryBudgetOptions {
  /** Bytes the loaded models may hold together (`MODEL_MEMORY_BUDGET_MB`); undefined: no limit. */
  limitBytes: number | undefined;
  /** Every registered model. */
  records: () => Iterable<ModelRecord>;
  /** How long a load waits for room (for models in use to finish their requests), ms. */
  waitMs: number;
  isStopping: () => boolean;
  log: Logger;
  /** Unix time in seconds, for the failures it records. */
  now: () => number;
  /** Pause between two checks of a load that waits for room, ms (default 250): a safety net, releases wake it at once. */
  pollMs?: number;
}

/** The budget's figures, as the registry shows them. */
export interface MemorySummary {
  /** `MODEL_MEMORY_BUDGET_MB` in bytes; null when unlimited. */
  budget_bytes: number | null;
  /** Memory held by the loaded models. */
  used_bytes: number;
  /** Memory set aside for the loads under way. */
  reserved_bytes: number;
}

/** A load admitted within the budget: the room it holds and the idle models that will make it. */
interface Reservation {
  bytes: number;
  victims: ModelRecord[];
}

/** A load refused by the memory budget; the model fails with this message. */
export class MemoryBudgetError extends Error {
  override readonly name = "MemoryBudgetError";
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Keeps the loaded models within `MODEL_MEMORY_BUDGET_MB`, as KServe ModelMesh keeps a pod's
 * models within its capacity: a load is admitted only when its model is known to fit, once the
 * least recently used idle models are evicted; never a `required` model, never one with requests
 * in flight, never one another load already counts on.
 *
 * Load first, evict after: the models that make room keep serving while the new one loads, and
 * are evicted only once it has loaded and been measured. A load that fails costs nothing; the
 * price is that memory passes the budget by the models loading at that moment. The other order
 * (evict, then load into the freed room) is what Ray Serve does, and a failed load then loses
 * both models. Admission reserves the estimate (from the files) at once, so two loads at the
 * same time never count on the same room; after the load the measured figure replaces it.
 *
 * @example
 * const budget = new MemoryBudget({ limitBytes: 512 * 2 ** 20, records: () => records.values(), waitMs: 120_000, isStopping, log, now });
 * await budget.admit(record);                  // waits for room, or throws MemoryBudgetError
 * const model = await backend.load(record.spec);
 * budget.refusal(record, model);               // a reason it can never fit, now that it is measured
 * record.install(model, …); budget.installed(record);  // charges it, evicts the idle LRU models
 * budget.finish(record);                       // in `finally`: frees what a failed load reserved
 */
export class MemoryBudget {
  private readonly reservations = new Map<ModelRecord, Reservation>();
  private readonly past = new WeakMap<ModelRecord, PastMeasure>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: MemoryBudgetOptions) {}

  /** Bytes the loaded models may hold; Infinity when unlimited. */
  get limit(): number {
    return this.options.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Reserves room for a load before it starts: at once when the model fits, or with the least
   * recently used idle models whose eviction makes it fit (they are evicted after the load). When
   * the models that could make room are in use, waits for them (up to `waitMs`). Throws
   * {@link MemoryBudgetError} when the model can never fit: larger than the budget, or than what
   * the required models leave of it.
   */
  async admit(record: ModelRecord): Promise<void> {
    const bytes = await estimateMemory(record.spec, this.past.get(record));
    const deadline = performance.now() + this.options.waitMs;
    for (;;) {
      if (this.options.isStopping()) throw new MemoryBudgetError("the service is shutting down");
      const refusal = this.neverFits(record, bytes, "estimated from its files");
      if (refusal !== undefined) throw new MemoryBudgetError(refusal);
      const victims = this.victimsFor(record, bytes);
      if (victims !== undefined) {
        this.reservations.set(record, { bytes, victims });
        if (victims.length > 0) {
          this.options.log.debug(`Room for model "${record.name}" (${mib(bytes)}) will come from evicting ${victims.map((victim) => victim.name).join(", ")}`);
        }
        return;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new MemoryBudgetError(
          `no room in the memory budget of ${mib(this.limit)} for ${mib(bytes)} within ${this.options.waitMs} ms: the models that could be evicted stayed in use`,
        );
      }
      await this.change(Math.min(left, this.options.pollMs ?? 250));
    }
  }

  /**
   * After the load: takes the model's measured memory in place of the estimate, or says why it
   * can never fit (the caller disposes it; nothing was evicted for it).
   */
  refusal(record: ModelRecord, model: unknown): string | undefined {
    const reservation = this.reservations.get(record);
    const measured = (model as ModelInstance | null)?.memory?.bytes;
    if (reservation === undefined || measured === undefined) return undefined;
    const refusal = this.neverFits(record, measured, "measured");
    if (refusal === undefined) reservation.bytes = measured;
    return refusal;
  }

  /**
   * The model is installed: it is charged its measured memory (the estimate when its host
   * measured none), and idle models are evicted, least recently used first — those its admission
   * counted on first — until the loaded models fit the budget again.
   */
  installed(record: ModelRecord): void {
    const reservation = this.reservations.get(record);
    this.reservations.delete(record);
    record.memory ??= { bytes: reservation?.bytes ?? 0, method: "estimate" };
    this.past.set(record, { memory: record.memory, sizeBytes: record.spec.sizeBytes });
    if (record.live !== undefined) record.live.onIdle = () => this.idle();
    this.settle(record, reservation?.victims ?? []);
    this.notify();
  }

  /** The load is over, whatever its outcome: room it reserved and did not use is freed. */
  finish(record: ModelRecord): void {
    if (this.reservations.delete(record)) this.notify();
  }

  /**
   * Of `records` (models to preload, not loaded yet), the ones to load now: the required ones,
   * then the others in the given order as long as their estimates fit beside them. A model that
   * can never fit beside the required ones is failed at once, saying so; the rest become
   * `skipped` and load on first use, evicting what is idle then.
   */
  async choosePreloads(records: ModelRecord[]): Promise<ModelRecord[]> {
    if (this.options.limitBytes === undefined) return records;
    const estimates = new Map<ModelRecord, number>();
    for (const record of records) estimates.set(record, await estimateMemory(record.spec, this.past.get(record)));
    const chosen = records.filter((record) => record.spec.required);
    let total = this.projected() + chosen.reduce((sum, record) => sum + estimates.get(record)!, 0);
    const left: ModelRecord[] = [];
    for (const record of records.filter((candidate) => !candidate.spec.required)) {
      const bytes = estimates.get(record)!;
      const refusal = this.neverFits(record, bytes, "estimated from its files", estimates);
      if (refusal !== undefined) {
        record.fail(refusal, this.options.now());
        this.options.log.error(`Failed to load model "${record.name}" (${record.spec.modelType}): ${refusal}`, { model: record.name });
      } else if (total + bytes <= this.limit) {
        chosen.push(record);
        total += bytes;
      } else {
        record.status = "skipped";
        left.push(record);
      }
    }
    if (left.length > 0) {
      const names = left.map((record) => record.name).join(", ");
      this.options.log.info(`Not preloading ${names}: they do not fit in the memory budget beside the others; each loads on its first request`);
    }
    return chosen;
  }

  /** Budget, use and reservations in bytes. */
  summary(): MemorySummary {
    let used = 0;
    for (const record of this.options.records()) used += memoryOf(record);
    let reserved = 0;
    for (const reservation of this.reservations.values()) reserved += reservation.bytes;
    return { budget_bytes: this.options.limitBytes ?? null, used_bytes: used, reserved_bytes: reserved };
  }

  /**
   * What the loaded models will hold once the loads under way are done: a model that loads counts
   * its reservation (in place of any instance it replaces), a model a load will evict counts
   * nothing, the others what they hold. `except` is left out.
   */
  private projected(except?: ModelRecord): number {
    const doomed = new Set([...this.reservations.values()].flatMap((reservation) => reservation.victims));
    let total = 0;
    for (const record of this.options.records()) {
      if (record === except) continue;
      const reservation = this.reservations.get(record);
      if (reservation !== undefined) total += reservation.bytes;
      else if (!doomed.has(record)) total += memoryOf(record);
    }
    return total;
  }

  /** The idle models to evict so that `bytes` more fit (none when they fit already); undefined when not enough can be evicted now. */
  private victimsFor(record: ModelRecord, bytes: number): ModelRecord[] | undefined {
    let excess = this.projected(record) + bytes - this.limit;
    if (excess <= 0) return [];
    const victims: ModelRecord[] = [];
    for (const candidate of evictionCandidates(this.options.records(), this.reservations, record)) {
      victims.push(candidate);
      excess -= memoryOf(candidate);
      if (excess <= 0) return victims;
    }
    return undefined;
  }

  /**
   * Why `bytes` can never fit beside the required models, if so. A required model counts what it
   * holds or has reserved, else what `planned` expects of it (preloads not admitted yet).
   */
  private neverFits(record: ModelRecord, bytes: number, how: string, planned?: ReadonlyMap<ModelRecord, number>): string | undefined {
    if (bytes <= this.limit) {
      const required: string[] = [];
      let held = 0;
      for (const other of this.options.records()) {
        if (other === record || !other.spec.required) continue;
        const share = this.reservations.get(other)?.bytes ?? (memoryOf(other) || (planned?.get(other) ?? 0));
        if (share === 0) continue;
        held += share;
        required.push(other.name);
      }
      if (bytes <= this.limit - held) return undefined;
      return `cannot fit in the memory budget: it needs ${mib(bytes)} (${how}), and of the budget's ${mib(this.limit)} (MODEL_MEMORY_BUDGET_MB) the required models hold ${mib(held)} (${required.join(", ")}), which are never evicted`;
    }
    return `cannot fit in the memory budget: it needs ${mib(bytes)} (${how}), more than the whole budget of ${mib(this.limit)} (MODEL_MEMORY_BUDGET_MB)`;
  }

  /**
   * Evicts idle models, least recently used first (`first` before the others), until the loaded
   * models fit; `keep` is never evicted. Models in use stay: memory stays over the budget until
   * their requests finish, and the last one to finish triggers the next settle.
   */
  private settle(keep?: ModelRecord, first: ModelRecord[] = []): void {
    if (this.options.limitBytes === undefined) return;
    let excess = this.projected() - this.limit;
    if (excess <= 0) return;
    const candidates = [...evictionCandidates(this.options.records(), this.reservations, keep)];
    candidates.sort((a, b) => Number(first.includes(b)) - Number(first.includes(a)));
    for (const victim of candidates) {
      if (excess <= 0) return;
      excess -= memoryOf(victim);
      this.evict(victim, keep);
    }
    if (excess > 0) this.options.log.debug(`Loaded models are ${mib(excess)} over the memory budget until models in use finish their requests`);
  }

  private evict(victim: ModelRecord, forRecord: ModelRecord | undefined): void {
    const bytes = memoryOf(victim);
    const live = victim.takeInstance();
    victim.status = "evicted";
    victim.evictionCount++;
    const reason = forRecord === undefined ? "" : ` to make room for "${forRecord.name}"`;
    this.options.log.info(`Evicted model "${victim.name}" (${mib(bytes)}, idle, least recently used)${reason} within the memory budget of ${mib(this.limit)}; it loads again on its next request`, {
      model: victim.name,
    });
    void live?.retire();
  }

  /** A model's last request finished: loads waiting for room look again, and memory over the budget is settled. */
  private idle(): void {
    this.settle();
    this.notify();
  }

  private notify(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves at the next release, install or finished load, or after `ms`. */
  private change(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }
}
