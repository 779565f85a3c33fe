import type { Classification, LoadedInfo, ModelMemory } from "../host/host-protocol.ts";
import type { ModelHost } from "../host/model-host.ts";
import type { HostTensor, ModelSignature } from "../inference/tensor.ts";
import type { ModelInstance } from "../cache/model-types.ts";
import type { ForecastPoint } from "../prophet/index.ts";
import { batchedTensors, batchedTexts, type BatchSettings } from "../batching/model-batchers.ts";

/** Shared part of models that live in a host worker. */
abstract class HostedModel implements ModelInstance {
  readonly signature: ModelSignature | undefined;
  readonly details: Record<string, unknown>;
  readonly memory: ModelMemory | undefined;
  private released = false;

  constructor(
    /** The worker that holds it. */
    readonly host: ModelHost,
    /** Id of the instance inside the worker. */
    readonly instanceId: string,
    info: LoadedInfo,
  ) {
    this.signature = info.signature;
    this.details = { ...info.details, host: host.name };
    this.memory = info.memory;
    host.track(1);
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await this.host.unload(this.instanceId);
    } finally {
      // After the unload: a retiring host stops when its last model is gone.
      this.host.track(-1);
    }
  }
}

/** An ONNX graph in a host; alike requests share runs when its first dimension is the batch. */
export class HostedOnnxModel extends HostedModel {
  private readonly run: (inputs: Record<string, HostTensor>, outputs: string[]) => Promise<Record<string, HostTensor>>;

  constructor(host: ModelHost, instanceId: string, info: LoadedInfo, batching?: BatchSettings) {
    super(host, instanceId, info);
    const direct = (inputs: Record<string, HostTensor>, outputs: string[]) => this.host.run(this.instanceId, inputs, outputs);
    this.run = batching !== undefined && info.details.batch_dimension === true ? batchedTensors(batching, direct) : direct;
  }

  infer(inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>> {
    return this.run(inputs, outputs);
  }
}

/** A text classifier (transformer or lexicon) in a host; concurrent requests share runs. */
export class HostedTextClassifier extends HostedModel {
  private readonly run: (texts: string[]) => Promise<Classification[]>;

  constructor(host: ModelHost, instanceId: string, info: LoadedInfo, batching?: BatchSettings) {
    super(host, instanceId, info);
    const direct = (texts: string[]) => this.host.classify(this.instanceId, texts);
    this.run = batching === undefined ? direct : batchedTexts(batching, direct);
  }

  classify(texts: string[]): Promise<Classification[]> {
    return this.run(texts);
  }

  /** The Open Inference Protocol form: BYTES `text` [N] → BYTES `label` [N], FP32 `score` [N]. */
  async infer(inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>> {
    const texts = inputs.text?.data as string[];
    const results = await this.classify(texts);
    const answer: Record<string, HostTensor> = {};
    if (outputs.includes("label")) {
      answer.label = { datatype: "BYTES", shape: [results.length], data: results.map((result) => result.label) };
    }
    if (outputs.includes("score")) {
      answer.score = { datatype: "FP32", shape: [results.length], data: Float32Array.from(results, (result) => result.score) };
    }
    return answer;
  }
}

/** A Prophet forecaster in the pure-JS host. */
export class HostedForecaster extends HostedModel {
  forecast(body: unknown, maxPeriods: number): Promise<ForecastPoint[]> {
    return this.host.forecast(this.instanceId, body, maxPeriods);
  }
}
