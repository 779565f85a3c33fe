import type { RegistryEntry } from "./model-record.ts";

/** Health of the service as `GET /api/v1/models/health` reports it. */
export interface Health {
  status: "healthy" | "degraded" | "loading" | "unhealthy";
  message: string;
  loaded_models: string[];
  failed_models: string[];
}

/**
 * Derives health from the registry: `loading` until the first load finished; `unhealthy` when
 * shutting down, when a required model failed, or when nothing at all is loaded (or evicted);
 * `degraded` when some models failed or are loading again while others serve; `healthy` when every
 * model that should be loaded is. Models evicted to stay within the memory budget are healthy:
 * they load again on their next request.
 */
export function describeHealth(entries: RegistryEntry[], state: { isLoaded: boolean; stopping: boolean }): Health {
  const loaded = entries.filter((entry) => entry.status === "loaded").map((entry) => entry.id ?? entry.name);
  const failed = entries.filter((entry) => entry.status === "failed").map((entry) => entry.id ?? entry.name);
  const base = { loaded_models: loaded, failed_models: failed };
  if (state.stopping) return { status: "unhealthy", message: "The service is shutting down", ...base };
  if (!state.isLoaded) {
    const pending = entries.filter((entry) => entry.status === "pending" || entry.status === "loading").length;
    return { status: "loading", message: `Loading models: ${pending} still loading, ${loaded.length} loaded`, ...base };
  }
  const requiredFailed = entries.filter((entry) => entry.required && entry.status !== "loaded").map((entry) => entry.id ?? entry.name);
  if (requiredFailed.length > 0) {
    return { status: "unhealthy", message: `Required models are not loaded: ${requiredFailed.join(", ")}`, ...base };
  }
  const evicted = entries.filter((entry) => entry.status === "evicted").length;
  if (loaded.length === 0 && evicted === 0) return { status: "unhealthy", message: "No model is loaded", ...base };
  // After start, a model can be loading again (its host crashed, or it was unloaded and loads).
  const loading = entries.filter((entry) => entry.status === "loading" || entry.status === "pending").map((entry) => entry.id ?? entry.name);
  if (failed.length > 0 || loading.length > 0) {
    const parts = [`${loaded.length} of ${loaded.length + failed.length + loading.length} models loaded`];
    if (failed.length > 0) parts.push(`failed: ${failed.join(", ")}`);
    if (loading.length > 0) parts.push(`loading: ${loading.join(", ")}`);
    return { status: "degraded", message: parts.join("; "), ...base };
  }
  if (evicted > 0) {
    const message = `${loaded.length} models loaded; ${evicted} evicted to stay within the memory budget (each loads again on its next request)`;
    return { status: "healthy", message, ...base };
  }
  return { status: "healthy", message: `All ${loaded.length} models loaded successfully`, ...base };
}
