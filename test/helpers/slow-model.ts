import type { ModelBackend, ModelInstance, ModelSpec } from "../../src/cache/model-types.ts";
import type { HostTensor, ModelSignature } from "../../src/inference/tensor.ts";
import { setTimeout as sleep } from "node:timers/promises";

const SIGNATURE: ModelSignature = {
  inputs: [{ name: "x", datatype: "FP32", shape: [-1] }],
  outputs: [{ name: "x", datatype: "FP32", shape: [-1] }],
  unsupportedOutputs: [],
};

/**
 * A custom model that takes `runMs` per request and answers with its generation number, so a
 * response says which instance served it. It writes what happens to it into a shared event list
 * ("start 0", "end 0", "dispose 0", "error …") and refuses to run once disposed.
 */
export class SlowModel implements ModelInstance {
  readonly signature = SIGNATURE;
  private disposed = false;

  constructor(
    readonly generation: number,
    private readonly events: string[],
    private readonly runMs = 250,
  ) {}

  async infer(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const size = inputs.x?.shape[0] ?? 0;
    if (this.disposed) this.events.push(`error: run started on disposed generation ${this.generation}`);
    this.events.push(`start ${this.generation}`);
    await sleep(this.runMs);
    if (this.disposed) this.events.push(`error: generation ${this.generation} disposed during a run`);
    this.events.push(`end ${this.generation}`);
    return { x: { datatype: "FP32", shape: [size], data: new Float32Array(size).fill(this.generation) } };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.events.push(`dispose ${this.generation}`);
  }
}

/**
 * Loader of `custom` models for tests: each load takes `loadMs` (or, while held, lasts until it
 * is released) and makes the next generation of {@link SlowModel} (1, 2, …; generation 0 is the
 * one a test sets with `setModel`).
 */
export class SlowBackend implements ModelBackend {
  readonly modelType = "custom" as const;
  readonly events: string[] = [];
  private next = 1;
  private held: Promise<void> | undefined;

  constructor(private readonly loadMs = 150) {}

  /**
   * Makes loads wait until the returned function is called, so that a test decides what happens
   * during a load instead of racing its duration.
   *
   * @example
   * const release = backend.hold(); const reload = cache.reload(["slow"]); …; release(); await reload;
   */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async load(_spec: ModelSpec): Promise<SlowModel> {
    if (this.held !== undefined) await this.held;
    else await sleep(this.loadMs);
    const generation = this.next++;
    this.events.push(`loaded ${generation}`);
    return new SlowModel(generation, this.events);
  }
}
