import type { ModelCache } from "../cache/model-cache.ts";
import type { HostIncident } from "../host/host-pool.ts";
import type { Logger } from "../logging/logger.ts";

/**
 * Reloads, on a fresh worker, every model that lived on a host that crashed or was recycled.
 * After a crash the models were lost and are loaded again (requests meanwhile get 503); after a
 * recycle the old instances keep serving until the new ones are ready. Either way the incident
 * is each model's `last_error` in the registry, and a log line.
 */
export async function handleHostIncident(cache: ModelCache, incident: HostIncident, log: Logger): Promise<void> {
  if (cache.isStopping) return;
  const { kind, hostName, reason } = incident;
  const affected = cache.modelNames.filter((name) => {
    const entry = cache.entry(name);
    return entry?.details?.host === hostName && entry.status === "loaded";
  });
  if (affected.length === 0) return;
  const what = kind === "crash" ? `crashed (${reason})` : `was recycled (${reason})`;
  log.warn(`Reloading ${affected.length} models of model host ${hostName}, which ${what}: ${affected.join(", ")}`);
  if (kind === "crash") {
    await cache.recover(affected, `model host ${hostName} ${what}; reloaded on a new worker`);
    return;
  }
  await cache.reload(affected);
  cache.noteIncident(affected, `model host ${hostName} ${what}; reloaded on a new worker`);
}
