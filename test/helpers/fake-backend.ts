import type { ModelBackend, ModelInstance, ModelSpec, ModelType } from "../../src/cache/model-types.ts";
import type { Discovery } from "../../src/discovery/discover-models.ts";
import { setTimeout as sleep } from "node:timers/promises";

/** How one fake model behaves when loaded. */
export interface FakeBehaviour {
  /** Milliseconds the load takes (async wait, like reading a file or a network mount). */
  delayMs?: number;
  /** Fail the first `failTimes` attempts. */
  failTimes?: number;
  /** Never finish. */
  hang?: boolean;
  /** Finish only once this settles (a load the test releases). */
  gate?: Promise<void>;
}

/** A model instance that records its disposal. */
export class FakeModel implements ModelInstance {
  disposed = false;
  constructor(
    readonly name: string,
    readonly generation: number,
  ) {}
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/**
 * A loader for tests of the cache's own logic (scheduling, time limits, retries, swaps):
 * it records when each load started and ended.
 */
export class FakeBackend implements ModelBackend {
  readonly intervals = new Map<string, { start: number; end: number }[]>();
  readonly attempts = new Map<string, number>();
  readonly made: FakeModel[] = [];

  constructor(
    private readonly behaviours: Record<string, FakeBehaviour> = {},
    readonly modelType: ModelType = "onnx",
  ) {}

  async load(spec: ModelSpec): Promise<FakeModel> {
    const behaviour = this.behaviours[spec.name] ?? {};
    const attempt = (this.attempts.get(spec.name) ?? 0) + 1;
    this.attempts.set(spec.name, attempt);
    const start = performance.now();
    if (behaviour.hang) await new Promise(() => undefined);
    if (behaviour.gate) await behaviour.gate;
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    const list = this.intervals.get(spec.name) ?? [];
    list.push({ start, end: performance.now() });
    this.intervals.set(spec.name, list);
    if (attempt <= (behaviour.failTimes ?? 0)) throw new Error(`${spec.name} failed on attempt ${attempt}`);
    const model = new FakeModel(spec.name, attempt);
    this.made.push(model);
    return model;
  }
}

/** Specs of fake models, all of the backend's type. */
export function fakeSpecs(names: string[], overrides: Partial<ModelSpec> = {}): ModelSpec[] {
  return names.map((name) => ({ name, modelType: "onnx", version: "1.0.0", required: false, preload: true, ...overrides }));
}

/** A discovery function over fixed specs. */
export function fixedDiscovery(specs: ModelSpec[]): () => Promise<Discovery> {
  return async () => ({ specs: specs.map((spec) => ({ ...spec })), warnings: [] });
}
