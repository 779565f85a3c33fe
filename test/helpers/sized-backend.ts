import type { ModelMemory } from "../../src/host/host-protocol.ts";
import type { ModelBackend, ModelInstance, ModelSpec } from "../../src/cache/model-types.ts";

/** Bytes in a MiB. */
export const MIB = 2 ** 20;

/** A model that says how much memory it holds, and records its disposal. */
export class SizedModel implements ModelInstance {
  disposed = false;
  constructor(
    readonly name: string,
    readonly memory: ModelMemory | undefined,
  ) {}
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** How one model behaves when loaded by a {@link SizedBackend}. */
export interface SizedBehaviour {
  /** What the loaded model reports as measured, MiB (default: nothing measured). */
  measuredMib?: number;
  /** Loads wait until `open(name)` is called. */
  gated?: boolean;
  /** Loads fail (after the gate). */
  fails?: boolean;
}

/**
 * A loader for memory-budget tests: models of chosen sizes, loads held at a gate until the test
 * opens it (no timing involved), failures on demand. Records which loads started, so a test can
 * tell that a load was admitted, and the most loads that ran at once.
 */
export class SizedBackend implements ModelBackend {
  readonly modelType = "onnx" as const;
  readonly started: string[] = [];
  readonly made: SizedModel[] = [];
  running = 0;
  mostRunning = 0;
  private readonly gates = new Map<string, (() => void)[]>();
  private readonly opened = new Set<string>();

  constructor(private readonly behaviours: Record<string, SizedBehaviour> = {}) {}

  async load(spec: ModelSpec): Promise<SizedModel> {
    const behaviour = this.behaviours[spec.name] ?? {};
    this.started.push(spec.name);
    this.running++;
    this.mostRunning = Math.max(this.mostRunning, this.running);
    try {
      if (behaviour.gated && !this.opened.has(spec.name)) {
        await new Promise<void>((resolve) => this.gates.set(spec.name, [...(this.gates.get(spec.name) ?? []), resolve]));
      }
      if (behaviour.fails) throw new Error(`${spec.name} is broken`);
      const memory = behaviour.measuredMib === undefined ? undefined : { bytes: behaviour.measuredMib * MIB, method: "weights" as const };
      const model = new SizedModel(spec.name, memory);
      this.made.push(model);
      return model;
    } finally {
      this.running--;
    }
  }

  /** Lets the waiting and every later load of `name` through. */
  open(name: string): void {
    this.opened.add(name);
    for (const resolve of this.gates.get(name) ?? []) resolve();
    this.gates.delete(name);
  }

  /** How many loads of `name` started. */
  starts(name: string): number {
    return this.started.filter((started) => started === name).length;
  }
}

/** Specs of on-disk ONNX models of the given sizes in MiB (the estimate comes from `sizeBytes`). */
export function sizedSpecs(sizes: Record<string, number>, overrides: Partial<ModelSpec> = {}): ModelSpec[] {
  return Object.entries(sizes).map(([name, mib]) => ({
    name,
    modelType: "onnx",
    version: "1.0.0",
    required: false,
    preload: false,
    sizeBytes: mib * MIB,
    ...overrides,
  }));
}

/** Waits until `check()` holds, looking every few ms, up to a generous limit (never a speed assertion). */
export async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
