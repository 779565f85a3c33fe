import type { HostTensor } from "../../inference/tensor.ts";
import type { Classification, LoadedInfo } from "../host-protocol.ts";
import type { ForecastPoint } from "../../prophet/index.ts";

/** A model as a host worker holds it. */
export interface WorkerModel {
  readonly info: LoadedInfo;
  /** Runs the graph on named tensors and returns the requested outputs. */
  run?(inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>>;
  /** Classifies texts (text classifiers and the lexicon). */
  classify?(texts: string[]): Promise<Classification[]>;
  /** Forecasts from an HTTP forecast body (Prophet models). */
  forecast?(body: unknown, maxPeriods: number): ForecastPoint[];
  /** Releases the session and its memory. */
  dispose(): Promise<void>;
}
