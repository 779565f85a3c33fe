/**
 * What the service measures, built once by the composition root: Triton's statistics and the
 * latency window (always on), and the Prometheus metrics (unless METRICS=false). Services get
 * the two observers; the HTTP routes read the statistics and the registry.
 */
import type { CacheObserver } from "../cache/cache-observer.ts";
import { fanOutInference, type InferenceObserver } from "./inference-observer.ts";
import { ModelStatisticsStore } from "./model-statistics.ts";
import { PrometheusMetrics } from "./prometheus-metrics.ts";

/**
 * @example
 * const telemetry = new Telemetry({ prometheus: config.metrics });
 * new ModelCache({ …, observer: telemetry.cacheObserver });
 * new InferenceService(cache, limits, telemetry.inferenceObserver);
 */
export class Telemetry {
  readonly statistics = new ModelStatisticsStore();
  /** Undefined when METRICS=false. */
  readonly prometheus: PrometheusMetrics | undefined;
  readonly inferenceObserver: InferenceObserver;
  readonly cacheObserver: CacheObserver;

  constructor(options: { prometheus: boolean; processMetrics?: boolean }) {
    this.prometheus = options.prometheus ? new PrometheusMetrics({ processMetrics: options.processMetrics ?? true }) : undefined;
    const listeners = [this.statistics, ...(this.prometheus === undefined ? [] : [this.prometheus])];
    this.inferenceObserver = fanOutInference(listeners);
    this.cacheObserver = {
      lookup: (model, version, hit, waitNs) => listeners.forEach((listener) => listener.lookup(model, version, hit, waitNs)),
      loadFinished: (model, version, ok, seconds) => listeners.forEach((listener) => listener.loadFinished(model, version, ok, seconds)),
    };
  }
}
