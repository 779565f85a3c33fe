import type { ModelService } from "../../src/service/model-service.ts";

/**
 * Kills a model host's worker thread from outside, as the OS or a runtime fault would: no
 * goodbye, pending calls cut off. Reaches into private fields on purpose: the service offers no
 * way to crash itself.
 */
export async function killHostWorker(service: ModelService, hostName: string): Promise<void> {
  type Slot = { name: string; current: unknown };
  const pool = service.hosts as unknown as { wasmSlots: Slot[]; lexiconSlot: Slot; prophetSlot: Slot };
  const slot = [...pool.wasmSlots, pool.lexiconSlot, pool.prophetSlot].find((candidate) => candidate.name === hostName);
  const host = slot?.current as { worker: Worker } | undefined;
  if (host === undefined) throw new Error(`host ${hostName} is not running`);
  host.worker.terminate();
}
