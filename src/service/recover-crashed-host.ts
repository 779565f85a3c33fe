import type { ModelCache } from "../cache/model-cache.ts";
import type { Logger } from "../logging/logger.ts";

/**
 * After a model host died: reload, on a fresh host, every model whose instance lived on it. The
 * registry keeps the incident as each model's `last_error`.
 */
export function recoverCrashedHost(cache: ModelCache, hostName: string, reason: string, log: Logger): void {
  if (cache.isStopping) return;
  const lost = cache.modelNames.filter((name) => cache.entry(name)?.details?.host === hostName && cache.entry(name)?.status === "loaded");
  if (lost.length === 0) return;
  log.warn(`Reloading ${lost.length} models lost with model host ${hostName}: ${lost.join(", ")}`);
  void cache.recover(lost, `model host ${hostName} crashed (${reason}); reloaded on a new host`);
}
