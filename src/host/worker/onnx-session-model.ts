import type * as Ort from "onnxruntime-web";
import type { HostTensor } from "../../inference/tensor.ts";
import { signatureFromSession } from "../../inference/ort-signature.ts";
import { toOrtTensor } from "../../inference/to-ort-tensor.ts";
import { fromOrtTensor } from "../../inference/from-ort-tensor.ts";
import type { LoadedInfo, OnnxLoadPayload, RuntimeOptions } from "../host-protocol.ts";
import type { OrtEngine } from "./ort-engine.ts";
import type { SerialQueue } from "../../util/serial-queue.ts";
import type { WorkerModel } from "./worker-model.ts";
import { ModelFormatError, RunError } from "./worker-errors.ts";
import { hasBatchDimension } from "../../batching/batch-dimension.ts";

/**
 * A plain ONNX (or ORT-format) graph on the host's runtime (onnxruntime-web, or onnxruntime-node
 * in the native host). Outputs that are not tensors (ZipMap's
 * seq(map)) are never fetched: the session is asked only for the requested tensor outputs.
 */
export class OnnxSessionModel implements WorkerModel {
  private constructor(
    private readonly session: Ort.InferenceSession,
    private readonly ort: typeof Ort,
    private readonly queue: SerialQueue,
    readonly info: LoadedInfo,
  ) {}

  /**
   * Creates the session from the bytes (plus external-data files) the HTTP thread read and
   * checked — never from the file again, which may have changed since (and with it where its
   * external data points).
   */
  static async create(
    ort: typeof Ort,
    queue: SerialQueue,
    payload: OnnxLoadPayload,
    engine: OrtEngine,
    runtime: RuntimeOptions,
  ): Promise<OnnxSessionModel> {
    const options: Ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: "all",
      // Old-opset warnings are not the user's business; errors still surface as exceptions.
      logSeverityLevel: 3,
      ...engine.sessionOptions(runtime),
      externalData: payload.externalData.map(({ path, data }) => ({ path, data: new Uint8Array(data) })),
    };
    const runtimeName = engine.kind === "native" ? "onnxruntime-node" : "onnxruntime-web";
    let session: Ort.InferenceSession;
    try {
      session = await queue.run(() => ort.InferenceSession.create(new Uint8Array(payload.model), options));
    } catch (error) {
      throw new ModelFormatError(`${payload.fileName} is not a model ${runtimeName} can load: ${cleanOrtMessage(error)}`);
    }
    const refused = session.inputMetadata.map((meta) => (meta.isTensor ? engine.refusedInputTypes?.get(meta.type) : undefined)).find(Boolean);
    if (refused !== undefined) {
      await queue.run(() => session.release());
      throw new ModelFormatError(`${payload.fileName} cannot run on ${runtimeName}: ${refused}`);
    }
    const signature = signatureFromSession(session);
    return new OnnxSessionModel(session, ort, queue, {
      signature,
      details: {
        format: payload.fileName.endsWith(".ort") ? "ort" : "onnx",
        backend: engine.kind,
        batch_dimension: hasBatchDimension(session.inputMetadata, session.outputMetadata),
      },
    });
  }

  async run(inputs: Record<string, HostTensor>, outputs: string[]): Promise<Record<string, HostTensor>> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(inputs)) feeds[name] = toOrtTensor(this.ort, tensor);
    try {
      const results = await this.queue.run(() => this.session.run(feeds, outputs));
      const answer: Record<string, HostTensor> = {};
      for (const name of outputs) {
        const value = results[name];
        if (value !== undefined) answer[name] = fromOrtTensor(value);
      }
      return answer;
    } catch (error) {
      throw new RunError(cleanOrtMessage(error));
    } finally {
      for (const tensor of Object.values(feeds)) tensor.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.queue.run(() => this.session.release());
  }
}

/** onnxruntime-web's messages carry build paths and error codes; keep the part a user can act on. */
export function cleanOrtMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Drop source locations of the runtime's build machine (`/…/element_wise_ops.h:583 `) and the
  // C++ signatures after them (`onnxruntime::Initializer::Initializer(const onnx::TensorProto &, …)`).
  return text
    .replace(/(?:(?<![\w])[A-Za-z]:)?[\\/][^\s:'"]*\.(?:h|hpp|cc|cpp|c):\d+\s*/g, "")
    .replace(/(?:(?:virtual|static|inline|const)\s+)*(?:[\w<>]+\s*[*&]*\s*)?\b(?:\w+::)+~?\w+\((?:[^()]|\([^()]*\))*\)(?:\s*const)?\s*/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 500);
}
