import type { ModelCache, ModelLease } from "../cache/model-cache.ts";
import type { ModelInstance, ModelType } from "../cache/model-types.ts";
import { UnavailableError } from "../errors/app-error.ts";
import type { VersionTarget } from "../versions/version-target.ts";
import { HostCallError, HostCrashedError } from "../host/host-errors.ts";
import { decodeInferRequest } from "./decode-request.ts";
import { encodeInferResponse, type InferResponse } from "./encode-response.ts";
import { InferenceRequestError } from "./inference-error.ts";
import type { HostTensor, ModelSignature, TensorSpec } from "./tensor.ts";
import { encodeBinaryInferResponse, type BinaryInferResponse } from "./binary/encode-binary-response.ts";
import { silentInferenceObserver, type InferenceObserver } from "../metrics/inference-observer.ts";
import { RequestTimer } from "../metrics/request-timer.ts";
import { withExecutionTicket } from "../batching/execution-ticket.ts";

/** An inference answer: plain JSON, or JSON followed by binary outputs (binary tensor data extension). */
export type InferAnswer = { json: InferResponse } | { binary: BinaryInferResponse };

/** Model metadata as the Open Inference Protocol returns it. */
export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  parameters?: Record<string, unknown>;
}

/** Triton-style platform names by model type. */
const PLATFORMS: Record<ModelType, string> = {
  onnx: "onnxruntime_onnx",
  transformer: "transformersjs_onnx",
  lexicon: "wink_nlp",
  prophet: "prophet",
  custom: "custom",
};

/**
 * The Open Inference Protocol's model operations over the cache: metadata and inference on one
 * version of one model, with every request checked against the model's signature before it
 * reaches a model host. No HTTP in here; which version answers is the router's choice.
 */
export class InferenceService {
  constructor(
    private readonly cache: ModelCache,
    private readonly maxBatch: number,
    /** Longest string in a BYTES input (`MAX_TEXT_LENGTH`). */
    private readonly maxTextLength: number,
    /** Told of every inference request: statistics, metrics, latency. */
    private readonly observer: InferenceObserver = silentInferenceObserver,
  ) {}

  /**
   * Metadata of a loaded model version; one set to load on first use is loaded now. `versions`
   * lists every version the model serves.
   */
  async metadata(target: VersionTarget, versions: string[]): Promise<ModelMetadata> {
    const name = target.model;
    return this.withModel(target, (lease) => {
      const model = lease.model;
      const signature = model.signature;
      const metadata: ModelMetadata = {
        name,
        versions,
        platform: PLATFORMS[lease.modelType],
        inputs: signature?.inputs ?? [],
        outputs: signature?.outputs ?? [],
      };
      const parameters: Record<string, unknown> = {};
      // Protocol parameters are strings, numbers or booleans: the list becomes one string.
      if (signature !== undefined && signature.unsupportedOutputs.length > 0) {
        parameters.unsupported_outputs = signature.unsupportedOutputs.map(({ name, reason }) => `${name}: ${reason}`).join("; ");
      }
      if (lease.modelType === "prophet") {
        parameters.forecast_endpoint = `/api/v1/models/${name}/forecast`;
        parameters.note = "Prophet models forecast through the forecast endpoint, not through /infer";
      }
      if (Object.keys(parameters).length > 0) metadata.parameters = parameters;
      return Promise.resolve(metadata);
    });
  }

  /**
   * Runs one OIP inference request on one model version; the answer names that version.
   * `binary` holds the bytes after the JSON of a request in the binary tensor data extension;
   * outputs asked for as binary come back after the JSON.
   */
  async infer(target: VersionTarget, body: unknown, binary?: Uint8Array): Promise<InferAnswer> {
    // Timed from here: the model and its version are known, so labels stay bounded.
    const timer = new RequestTimer(this.observer, target.model, target.version);
    try {
      timer.stage("queue");
      const { result: answer, ticket } = await withExecutionTicket(() => this.withModel(target, (lease) => this.run(target, lease, body, binary, timer)));
      timer.succeed(answer.batchSize, ticket.shared);
      return answer.answer;
    } catch (error) {
      timer.fail(error);
      throw error;
    }
  }

  private async run(target: VersionTarget, lease: ModelLease<ModelInstance>, body: unknown, binary: Uint8Array | undefined, timer: RequestTimer) {
    const { model } = lease;
    const name = target.model;
    timer.stage("input");
    if (model.infer === undefined || model.signature === undefined) {
      const hint = lease.modelType === "prophet" ? `; use POST /api/v1/models/${name}/forecast` : "";
      throw new InferenceRequestError(`Model "${name}" (${lease.modelType}) does not take tensors${hint}`);
    }
    const request = decodeInferRequest(body, model.signature, {
      maxBatch: this.maxBatch,
      allowNonFinite: model.details?.accepts_non_finite === true,
      ...(binary !== undefined && { binary }),
    });
    checkTextLengths(request.inputs, this.maxTextLength);
    timer.stage("infer");
    let outputs;
    try {
      outputs = await model.infer(request.inputs, request.outputs);
    } catch (error) {
      throw runFailure(name, error);
    }
    timer.stage("output");
    const response = {
      modelName: name,
      modelVersion: target.version,
      ...(request.id !== undefined && { id: request.id }),
      outputs,
    };
    const answer: InferAnswer =
      request.binaryOutputs === undefined ? { json: encodeInferResponse(response) } : { binary: encodeBinaryInferResponse(response, request.binaryOutputs) };
    return { answer, batchSize: batchSizeOf(request.inputs, model.signature) };
  }

  private async withModel<T>(target: VersionTarget, use: (lease: ModelLease<ModelInstance>) => Promise<T>): Promise<T> {
    const lease = await this.cache.acquire<ModelInstance>(target.id);
    try {
      return await use(lease);
    } finally {
      lease.release();
    }
  }
}

/**
 * Inferences in one request: the first dimension of the first input when the model batches
 * along it (a dynamic first dimension), else 1.
 */
function batchSizeOf(inputs: Record<string, HostTensor>, signature: ModelSignature): number {
  const spec = signature.inputs[0];
  if (spec === undefined || spec.shape[0] !== -1) return 1;
  return inputs[spec.name]?.shape[0] ?? 1;
}

/** Strings in BYTES inputs obey the same limit as texts sent for sentiment. */
function checkTextLengths(inputs: Record<string, HostTensor>, maxLength: number): void {
  for (const [name, tensor] of Object.entries(inputs)) {
    if (tensor.datatype !== "BYTES") continue;
    const texts = tensor.data as string[];
    const index = texts.findIndex((text) => text.length > maxLength);
    if (index >= 0) {
      throw new InferenceRequestError(
        `Input "${name}" element ${index} is ${texts[index]!.length} characters long; the limit is ${maxLength} (MAX_TEXT_LENGTH)`,
      );
    }
  }
}

/** A run that failed: the request's fault (400) unless the host itself went away (503). */
function runFailure(name: string, error: unknown): Error {
  if (error instanceof HostCrashedError || (error instanceof HostCallError && error.fatal)) {
    return new UnavailableError(`Model "${name}" is being restarted after its host failed; retry shortly`, "host_restarting", { cause: error });
  }
  if (error instanceof HostCallError) {
    return new InferenceRequestError(`Model "${name}" could not run this input: ${error.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
