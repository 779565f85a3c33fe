import { access, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ModelBackend, ModelInstance, ModelSpec } from "../cache/model-types.ts";
import type { ExecutionHosts } from "./execution-hosts.ts";
import { readExternalData, toArrayBuffer } from "./external-data.ts";
import { HostedOnnxModel } from "./hosted-models.ts";
import { describeFsError, describeNonModelBytes, ModelFileError, readModelFile } from "./read-model-file.ts";
import { InstanceIds } from "./instance-ids.ts";
import type { BatchingPolicy } from "../batching/batching-policy.ts";
import { scanOnnxModel, type GraphScan } from "../onnx/scan-onnx-model.ts";
import { ProtobufFormatError } from "../onnx/protobuf-reader.ts";
import { LegacyOpsetError, upgradeLegacyOpset } from "../onnx/upgrade-legacy-opset.ts";

/**
 * Loads ONNX graphs (`x.onnx`, `x.ort`, or a folder with `model.onnx`/`model.ort` and its
 * external data) into a host (native or WASM, see ExecutionHosts). Files are read and checked
 * here, off the host, and exactly those bytes are loaded.
 */
export class OnnxBackend implements ModelBackend {
  readonly modelType = "onnx" as const;
  private readonly ids = new InstanceIds();

  constructor(
    private readonly hosts: ExecutionHosts,
    /** Dynamic batching of requests (none without it). */
    private readonly batching?: BatchingPolicy,
  ) {}

  async load(spec: ModelSpec): Promise<ModelInstance> {
    const shown = spec.source ?? spec.name;
    const file = await modelFileOf(spec.path ?? "", shown);
    const bytes = await readModelFile(file, shown);
    const notModel = describeNonModelBytes(bytes);
    if (notModel !== undefined) throw new ModelFileError(`${shown} cannot be loaded: ${notModel}`);
    // ORT-format files are flatbuffers: no external data, no graph to walk.
    const scan = file.toLowerCase().endsWith(".ort") ? undefined : scanGraph(bytes, shown);
    const externalData = scan === undefined ? [] : await readExternalData(file, scan.externalData, shown);
    const legacyOpset = scan?.defaultOpset !== undefined && scan.defaultOpset < 7 ? scan.defaultOpset : undefined;
    const graph = legacyOpset === undefined ? bytes : upgradeOrExplain(bytes, shown, legacyOpset);
    const instanceId = this.ids.next(spec.name);
    // The host gets the bytes checked here, never the file again (it may have changed since).
    // A worker takes them without a copy; the native host gets a copy, so a fallback still has them.
    const { host, info } = await this.hosts.load(() => ({
      kind: "onnx",
      instanceId,
      fileName: basename(file),
      model: toArrayBuffer(graph),
      externalData,
    }), graph.byteLength + externalData.reduce((sum, file) => sum + file.data.byteLength, 0));
    // Graphs that test for or impute missing values take NaN; others get a 400 for it.
    const acceptsNonFinite = scan !== undefined && NAN_AWARE_OPS.some((op) => scan.opTypes.has(op));
    info.details = { ...info.details, accepts_non_finite: acceptsNonFinite, external_data_files: externalData.length };
    if (legacyOpset !== undefined) info.details.upgraded_from_opset = legacyOpset;
    return new HostedOnnxModel(host, instanceId, info, this.batching?.settingsFor(spec));
  }
}

/** Operators whose presence shows the graph is made to handle NaN inputs. */
const NAN_AWARE_OPS = ["Imputer", "IsNaN", "IsInf"];

function scanGraph(bytes: Uint8Array, shown: string): GraphScan {
  try {
    return scanOnnxModel(bytes);
  } catch (error) {
    if (error instanceof ProtobufFormatError) throw new ModelFileError(`${shown} is not a valid ONNX model (${error.message})`);
    throw error;
  }
}

/** The model at opset 7, or a clear reason why an opset-`from` model cannot run here. */
function upgradeOrExplain(bytes: Uint8Array, shown: string, from: number): Uint8Array {
  try {
    return upgradeLegacyOpset(bytes);
  } catch (error) {
    if (error instanceof LegacyOpsetError) {
      throw new ModelFileError(`${shown} uses opset ${from}, older than onnxruntime-web supports, and cannot be upgraded: ${error.message}`);
    }
    throw error;
  }
}

/** The graph file of a model: the path itself, or `model.onnx` / `model.ort` inside a folder. */
async function modelFileOf(path: string, shown: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new ModelFileError(`${shown} ${describeFsError(error)}`);
  }
  if (!info.isDirectory()) return path;
  for (const name of ["model.onnx", "model.ort"]) {
    if (await exists(join(path, name))) return join(path, name);
  }
  throw new ModelFileError(`${shown} holds no model.onnx or model.ort`);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
