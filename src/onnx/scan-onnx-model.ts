import { readFields } from "./protobuf-reader.ts";

/** What a walk over an ONNX graph found. */
export interface GraphScan {
  /** Tensors stored as external data. */
  externalData: ExternalDataRef[];
  /** Operator types used anywhere in the graph (subgraphs included). */
  opTypes: Set<string>;
  /** Version of the default ("" / ai.onnx) operator set, if imported. */
  defaultOpset: number | undefined;
}

/** A tensor whose bytes live in another file. */
export interface ExternalDataRef {
  /** The tensor's name. */
  tensor: string;
  /** The file, as the graph names it (relative to the model file's folder). */
  location: string;
}

// Field numbers from onnx.proto3.
const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_SPARSE_INITIALIZER = 15;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_TENSOR = 5;
const ATTRIBUTE_GRAPH = 6;
const ATTRIBUTE_TENSORS = 10;
const ATTRIBUTE_GRAPHS = 11;
const SPARSE_VALUES = 1;
const SPARSE_INDICES = 2;
const TENSOR_NAME = 8;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const DATA_LOCATION_EXTERNAL = 1;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

const decoder = new TextDecoder();

/**
 * Walks an ONNX ModelProto: every tensor stored as external data (including those inside
 * subgraphs such as If/Loop bodies, and sparse initializers) and every operator type. Weights
 * are skipped, not decoded, so a 1 GiB model is walked in milliseconds. Throws
 * {@link ProtobufFormatError} on malformed bytes.
 *
 * @example
 * scanOnnxModel(bytes).externalData; // [{ tensor: "W", location: "model.onnx.data" }]
 */
export function scanOnnxModel(model: Uint8Array): GraphScan {
  const scan: GraphScan = { externalData: [], opTypes: new Set(), defaultOpset: undefined };
  for (const field of readFields(model)) {
    if (field.number === MODEL_GRAPH && field.bytes) walkGraph(field.bytes, scan);
    if (field.number === MODEL_OPSET_IMPORT && field.bytes) {
      const opset = readOpset(field.bytes);
      if (opset.domain === "" || opset.domain === "ai.onnx") scan.defaultOpset = opset.version;
    }
  }
  return scan;
}

function walkGraph(graph: Uint8Array, scan: GraphScan): void {
  for (const field of readFields(graph)) {
    if (!field.bytes) continue;
    if (field.number === GRAPH_INITIALIZER) walkTensor(field.bytes, scan.externalData);
    else if (field.number === GRAPH_SPARSE_INITIALIZER) walkSparse(field.bytes, scan.externalData);
    else if (field.number === GRAPH_NODE) walkNode(field.bytes, scan);
  }
}

function walkNode(node: Uint8Array, scan: GraphScan): void {
  for (const field of readFields(node)) {
    if (field.number === NODE_OP_TYPE && field.bytes) scan.opTypes.add(decoder.decode(field.bytes));
    if (field.number !== NODE_ATTRIBUTE || !field.bytes) continue;
    for (const attr of readFields(field.bytes)) {
      if (!attr.bytes) continue;
      if (attr.number === ATTRIBUTE_GRAPH || attr.number === ATTRIBUTE_GRAPHS) walkGraph(attr.bytes, scan);
      else if (attr.number === ATTRIBUTE_TENSOR || attr.number === ATTRIBUTE_TENSORS) walkTensor(attr.bytes, scan.externalData);
    }
  }
}

function walkSparse(sparse: Uint8Array, refs: ExternalDataRef[]): void {
  for (const field of readFields(sparse)) {
    if ((field.number === SPARSE_VALUES || field.number === SPARSE_INDICES) && field.bytes) {
      walkTensor(field.bytes, refs);
    }
  }
}

function walkTensor(tensor: Uint8Array, refs: ExternalDataRef[]): void {
  let name = "";
  let external = false;
  let location: string | undefined;
  for (const field of readFields(tensor)) {
    if (field.number === TENSOR_NAME && field.bytes) name = decoder.decode(field.bytes);
    else if (field.number === TENSOR_DATA_LOCATION) external = field.varint === DATA_LOCATION_EXTERNAL;
    else if (field.number === TENSOR_EXTERNAL_DATA && field.bytes) {
      let key = "";
      let value = "";
      for (const entry of readFields(field.bytes)) {
        if (entry.number === ENTRY_KEY && entry.bytes) key = decoder.decode(entry.bytes);
        else if (entry.number === ENTRY_VALUE && entry.bytes) value = decoder.decode(entry.bytes);
      }
      if (key === "location") location = value;
    }
  }
  if (external || location !== undefined) refs.push({ tensor: name, location: location ?? "" });
}

/** Domain and version of an OperatorSetIdProto. */
export function readOpset(bytes: Uint8Array): { domain: string; version: number } {
  let domain = "";
  let version = 0;
  for (const field of readFields(bytes)) {
    if (field.number === OPSET_DOMAIN && field.bytes) domain = decoder.decode(field.bytes);
    else if (field.number === OPSET_VERSION && field.varint !== undefined) version = field.varint;
  }
  return { domain, version };
}
