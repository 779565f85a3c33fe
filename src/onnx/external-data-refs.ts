import { readFields } from "./protobuf-reader.ts";

/** A tensor whose bytes live in another file. */
export interface ExternalDataRef {
  /** The tensor's name. */
  tensor: string;
  /** The file, as the graph names it (relative to the model file's folder). */
  location: string;
}

// Field numbers from onnx.proto3.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_SPARSE_INITIALIZER = 15;
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
 * Lists every tensor of an ONNX ModelProto stored as external data, including those inside
 * subgraphs (If/Loop bodies) and sparse initializers. Weights are skipped, not decoded, so a
 * 1 GiB model is walked in milliseconds. Throws {@link ProtobufFormatError} on malformed bytes.
 *
 * @example
 * externalDataRefs(bytes); // [{ tensor: "W", location: "model.onnx.data" }]
 */
export function externalDataRefs(model: Uint8Array): ExternalDataRef[] {
  const refs: ExternalDataRef[] = [];
  for (const field of readFields(model)) {
    if (field.number === MODEL_GRAPH && field.bytes) walkGraph(field.bytes, refs);
  }
  return refs;
}

function walkGraph(graph: Uint8Array, refs: ExternalDataRef[]): void {
  for (const field of readFields(graph)) {
    if (!field.bytes) continue;
    if (field.number === GRAPH_INITIALIZER) walkTensor(field.bytes, refs);
    else if (field.number === GRAPH_SPARSE_INITIALIZER) walkSparse(field.bytes, refs);
    else if (field.number === GRAPH_NODE) walkNode(field.bytes, refs);
  }
}

function walkNode(node: Uint8Array, refs: ExternalDataRef[]): void {
  for (const field of readFields(node)) {
    if (field.number !== NODE_ATTRIBUTE || !field.bytes) continue;
    for (const attr of readFields(field.bytes)) {
      if (!attr.bytes) continue;
      if (attr.number === ATTRIBUTE_GRAPH || attr.number === ATTRIBUTE_GRAPHS) walkGraph(attr.bytes, refs);
      else if (attr.number === ATTRIBUTE_TENSOR || attr.number === ATTRIBUTE_TENSORS) walkTensor(attr.bytes, refs);
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
