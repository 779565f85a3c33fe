import type { ModelCache } from "../cache/model-cache.ts";
import type { HostIncident } from "../host/host-pool.ts";
import type { Logger } from "../logging/logger.ts";

/**
 * Reloads, on a fresh worker, every model whose instance lived on the worker that crashed or was
 * recycled. After a crash those instances are gone and the models load again (requests wait for
 * the load); after a recycle the old instances keep serving until the new ones are ready. Either
 * way the incident is each model's `last_error` in the registry, and a log line.
 */
export async function handleHostIncident(cache: ModelCache, incident: HostIncident, log: Logger): Promise<void> {
  if (cache.isStopping) return;
  const { kind, hostName, host, reason } = incident;
  const affected = cache.namesServedBy((model) => (model as { host?: unknown }).host === host);
  if (affected.length === 0) return;
  const what = kind === "crash" ? `crashed (${reason})` : `was recycled (${reason})`;
  log.warn(`Reloading ${affected.length} models of model host ${hostName}, which ${what}: ${affected.join(", ")}`);
  const incidentNote = `model host ${hostName} ${what}; reloaded on a new worker`;
  if (kind === "crash") {
    await cache.recover(affected, incidentNote);
    return;
  }
  await cache.reload(affected);
  cache.noteIncident(affected, incidentNote);
}
