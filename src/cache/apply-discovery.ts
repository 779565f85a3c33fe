import type { Discovery } from "../discovery/discover-models.ts";
import type { Logger } from "../logging/logger.ts";
import { ModelRecord } from "./model-record.ts";

/**
 * Brings the registry in line with what discovery found: new models are registered (as
 * `skipped` once the service has started: a full reload, a load or a first use loads them),
 * known ones get their new spec, and models whose files are gone are unloaded and dropped
 * (models set through the API stay). Returns the names added.
 */
export function applyDiscovery(records: Map<string, ModelRecord>, { specs, warnings }: Discovery, started: boolean, log: Logger): Set<string> {
  for (const warning of warnings) log.warn(warning);
  const added = new Set<string>();
  const seen = new Set<string>();
  for (const spec of specs) {
    seen.add(spec.name);
    const record = records.get(spec.name);
    if (record !== undefined) {
      record.spec = spec;
      continue;
    }
    const fresh = new ModelRecord(spec);
    if (started) fresh.status = "skipped";
    records.set(spec.name, fresh);
    added.add(spec.name);
  }
  for (const [name, record] of records) {
    if (seen.has(name) || record.spec.modelType === "custom") continue;
    records.delete(name);
    log.info(`Model "${name}" is no longer in the models folder; unloading it`, { model: name });
    void record.ops.run(async () => {
      await record.takeInstance()?.retire();
      record.status = "unloaded";
    });
  }
  return added;
}
