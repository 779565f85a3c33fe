/**
 * How the services that run models report what they did, without knowing who listens: Triton's
 * statistics, the Prometheus metrics and the registry's latency window all read these events.
 * A batcher reports `executions` once per batch it runs; until then one request is one execution.
 */

/** Nanoseconds spent on each stage of one model execution. */
export interface ComputeNs {
  /** Turning the request into tensors (decoding JSON or binary data). */
  inputNs: number;
  /** The model call itself, round trip to its host included. */
  inferNs: number;
  /** Turning the outputs into the response (JSON or binary data). */
  outputNs: number;
}

/** One request for one model, once it is answered. */
export interface RequestReport extends ComputeNs {
  model: string;
  version: string;
  /** `failure` with a `reason`: the error code (bad_request, model_not_ready, …). */
  outcome: "success" | "failure";
  reason?: string;
  /** Waiting before the model could run: a first-use load, a batcher's queue. */
  queueNs: number;
  /** The whole request, from its arrival at the service to its answer. */
  totalNs: number;
}

/** Listens to the requests and executions of every model. */
export interface InferenceObserver {
  /** A request for `model` began: it is in flight until `requestFinished`. */
  requestStarted(model: string, version: string): void;
  /** The request that `requestStarted` announced is answered. */
  requestFinished(report: RequestReport): void;
  /** One model execution of `batchSize` inferences (rows, texts) took `compute`. */
  executions(model: string, version: string, batchSize: number, compute: ComputeNs): void;
}

/** Listens to nothing (tests, embedding without metrics). */
export const silentInferenceObserver: InferenceObserver = {
  requestStarted: () => undefined,
  requestFinished: () => undefined,
  executions: () => undefined,
};

/**
 * Sends every event to each observer in turn.
 *
 * @example
 * const observer = fanOutInference([statistics, prometheus]);
 */
export function fanOutInference(observers: InferenceObserver[]): InferenceObserver {
  return {
    requestStarted: (model, version) => observers.forEach((o) => o.requestStarted(model, version)),
    requestFinished: (report) => observers.forEach((o) => o.requestFinished(report)),
    executions: (model, version, batchSize, compute) => observers.forEach((o) => o.executions(model, version, batchSize, compute)),
  };
}
