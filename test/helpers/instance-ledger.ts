import { HostedForecaster, HostedOnnxModel, HostedTextClassifier } from "../../src/backends/hosted-models.ts";
import { LexiconBackend } from "../../src/backends/lexicon-backend.ts";
import { OnnxBackend } from "../../src/backends/onnx-backend.ts";
import { ProphetBackend } from "../../src/backends/prophet-backend.ts";
import { TransformerBackend } from "../../src/backends/transformer-backend.ts";
import type { ModelSpec } from "../../src/cache/model-types.ts";

/** One call (run, classify or forecast) on a hosted instance. */
export interface InstanceCall {
  /** Batch size of the call: first dimension of the first tensor, or the number of texts. */
  size: number;
  start: number;
  /** When the host answered (`undefined` while in flight). */
  end?: number;
}

/** One model instance in a host, from the end of its load to its disposal. */
export interface InstanceEntry {
  /** Registry name of the model. */
  model: string;
  /** Id inside the host worker (`name#n`). */
  id: string;
  /** When its load finished: the host holds a complete session from here on. */
  loadedAt: number;
  /** When its disposal started. */
  disposedAt?: number;
  /** How often `dispose()` was called. */
  disposeCalls: number;
  /** Calls in flight right now. */
  active: number;
  calls: InstanceCall[];
}

type Hosted = HostedOnnxModel | HostedTextClassifier | HostedForecaster;
type Method = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/**
 * Watches every hosted model instance of the process (ONNX, transformer, lexicon, Prophet): when
 * its load finished, every call on it with its batch size and timing, and when it was disposed.
 * It records a violation when a call starts or ends on a disposed instance, or when an instance
 * is disposed while calls are in flight on it. Install before the service starts; `restore()`
 * puts the original methods back.
 *
 * @example
 * const ledger = InstanceLedger.install();
 * … // start a service, send requests, reload
 * expect(ledger.violations).toEqual([]);
 * ledger.restore();
 */
export class InstanceLedger {
  private readonly entries = new Map<object, InstanceEntry>();
  /** Broken promises: calls on disposed instances, disposals under load. */
  readonly violations: string[] = [];
  private readonly restores: (() => void)[] = [];

  private constructor() {}

  /** Starts watching; call `restore()` when done. */
  static install(): InstanceLedger {
    const ledger = new InstanceLedger();
    for (const backend of [OnnxBackend, TransformerBackend, LexiconBackend, ProphetBackend]) {
      ledger.wrap(backend.prototype, "load", (original) =>
        async function (this: unknown, spec: ModelSpec) {
          const model = (await original.call(this, spec)) as Hosted;
          ledger.entries.set(model, {
            model: spec?.name ?? "lexicon",
            id: model.instanceId,
            loadedAt: performance.now(),
            disposeCalls: 0,
            active: 0,
            calls: [],
          });
          return model;
        },
      );
    }
    ledger.wrap(HostedOnnxModel.prototype, "infer", (original) =>
      function (this: Hosted, inputs: Record<string, { shape: number[] }>, outputs: string[]) {
        return ledger.watchCall(this, Object.values(inputs)[0]?.shape[0] ?? 0, () => original.call(this, inputs, outputs));
      },
    );
    ledger.wrap(HostedTextClassifier.prototype, "classify", (original) =>
      function (this: Hosted, texts: string[]) {
        return ledger.watchCall(this, texts.length, () => original.call(this, texts));
      },
    );
    ledger.wrap(HostedForecaster.prototype, "forecast", (original) =>
      function (this: Hosted, body: unknown, maxPeriods: number) {
        return ledger.watchCall(this, 1, () => original.call(this, body, maxPeriods));
      },
    );
    // dispose() lives on the shared base class of the three.
    ledger.wrap(Object.getPrototypeOf(HostedOnnxModel.prototype), "dispose", (original) =>
      function (this: Hosted) {
        const entry = ledger.entries.get(this);
        if (entry !== undefined) {
          entry.disposeCalls++;
          entry.disposedAt ??= performance.now();
          if (entry.active > 0) ledger.violations.push(`${entry.id} disposed with ${entry.active} calls in flight`);
        }
        return original.call(this);
      },
    );
    return ledger;
  }

  /** Instances of `model` in load order. */
  of(model: string): InstanceEntry[] {
    return [...this.entries.values()].filter((entry) => entry.model === model).sort((a, b) => a.loadedAt - b.loadedAt);
  }

  /** Every instance seen, in load order. */
  all(): InstanceEntry[] {
    return [...this.entries.values()].sort((a, b) => a.loadedAt - b.loadedAt);
  }

  /** Forgets what was recorded (between tests); keeps watching. */
  clear(): void {
    this.entries.clear();
    this.violations.length = 0;
  }

  /** Puts the original methods back. */
  restore(): void {
    for (const restore of this.restores.splice(0).reverse()) restore();
  }

  private async watchCall<T>(model: Hosted, size: number, run: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(model);
    if (entry === undefined) {
      this.violations.push(`call on ${model.instanceId}, an instance the ledger never saw loaded`);
      return run();
    }
    if (entry.disposedAt !== undefined) this.violations.push(`call started on ${entry.id} after its disposal`);
    const call: InstanceCall = { size, start: performance.now() };
    entry.calls.push(call);
    entry.active++;
    try {
      return await run();
    } finally {
      entry.active--;
      call.end = performance.now();
      if (entry.disposedAt !== undefined && entry.disposedAt < call.end) this.violations.push(`call on ${entry.id} ended after its disposal`);
    }
  }

  private wrap<K extends string>(target: object, key: K, make: (original: Method) => unknown): void {
    const holder = target as Record<string, unknown>;
    const had = Object.prototype.hasOwnProperty.call(holder, key);
    const original = holder[key] as Method;
    holder[key] = make(original);
    this.restores.push(() => {
      if (had) holder[key] = original;
      else delete holder[key];
    });
  }
}
