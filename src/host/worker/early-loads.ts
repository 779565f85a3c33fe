/**
 * Loads a host begins before it is asked for them. A native host started with the service (see
 * ../native/native-prestart.ts) knows, from its command line, the text classifiers the service is
 * about to place on it, and builds their pipelines while the service itself still starts. Each is
 * handed to the first load request for the same model folder and weights; one that fails is
 * simply loaded again by that request, and one that nobody claims within {@link UNCLAIMED_MS} is
 * disposed of.
 */
import type { LoadPayload, TransformerLocation } from "../host-protocol.ts";
import type { WorkerModel } from "./worker-model.ts";

/** A service claims its models within a second or two of starting; this is ample. */
export const UNCLAIMED_MS = 60_000;

const keyOf = (load: TransformerLocation) => JSON.stringify([load.modelsDir, load.folder, load.dtype]);

/** The loads started early in one host, until claimed. */
export class EarlyLoads {
  private readonly pending = new Map<string, Promise<WorkerModel>>();

  constructor(private readonly unclaimedMs = UNCLAIMED_MS) {}

  /** Starts `load` now (once per folder and weights); `dispose` releases it if never claimed. */
  start(load: TransformerLocation, run: () => Promise<WorkerModel>, dispose: (model: WorkerModel) => Promise<void>): void {
    const key = keyOf(load);
    if (this.pending.has(key)) return;
    const model = run();
    // A failure is met by the load that claims it, which then loads the model the usual way.
    model.catch(() => undefined);
    this.pending.set(key, model);
    const expiry = setTimeout(() => {
      if (this.pending.get(key) !== model) return;
      this.pending.delete(key);
      void model.then(dispose, () => undefined);
    }, this.unclaimedMs);
    (expiry as { unref?: () => void }).unref?.();
  }

  /** The early load of this payload's model, if one was started and not yet claimed. */
  take(payload: LoadPayload): Promise<WorkerModel> | undefined {
    if (payload.kind !== "transformer") return undefined;
    const key = keyOf(payload);
    const model = this.pending.get(key);
    this.pending.delete(key);
    return model;
  }

  /** How many wait to be claimed. */
  get size(): number {
    return this.pending.size;
  }
}
