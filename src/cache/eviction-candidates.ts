import type { ModelRecord } from "./model-record.ts";

/** Bytes a model holds now: its serving instance's measured memory; 0 when none serves. */
export function memoryOf(record: ModelRecord): number {
  return record.live !== undefined && record.memory !== undefined ? record.memory.bytes : 0;
}

/**
 * The models that may be evicted now, least recently used first: loaded, holding memory, idle
 * (no request in flight), not `required`, not loading or reloading, and neither loading nor
 * counted on by a load under way (`reservations`: each load's model and the models it will
 * evict). `except` (the model that needs the room) is never one, nor a `custom` model: set
 * through the API, it could not be loaded again.
 *
 * @example
 * const [oldest] = evictionCandidates(records.values(), reservations, incoming);
 */
export function evictionCandidates(
  records: Iterable<ModelRecord>,
  reservations: ReadonlyMap<ModelRecord, { victims: readonly ModelRecord[] }>,
  except?: ModelRecord,
): ModelRecord[] {
  const claimed = new Set<ModelRecord>();
  for (const reservation of reservations.values()) for (const victim of reservation.victims) claimed.add(victim);
  const candidates: ModelRecord[] = [];
  for (const record of records) {
    if (record === except || claimed.has(record) || reservations.has(record)) continue;
    if (record.status !== "loaded" || record.live === undefined || record.live.inFlight > 0) continue;
    if (record.spec.required || record.spec.modelType === "custom" || record.reloading || record.pendingLoad !== undefined || memoryOf(record) === 0) continue;
    candidates.push(record);
  }
  return candidates.sort((a, b) => a.lastUsed - b.lastUsed);
}
