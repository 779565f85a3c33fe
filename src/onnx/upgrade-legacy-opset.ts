import { concatFields, encodeBytesField, encodeVarintField, readFields } from "./protobuf-reader.ts";
import { readOpset } from "./scan-onnx-model.ts";

/**
 * Operators whose opset-7 definition only dropped the legacy `broadcast` attribute: opset 7 made
 * numpy-style broadcasting the rule. Without an `axis` attribute, legacy broadcasting (suffix
 * aligned, one direction) gives the same result, so dropping `broadcast` keeps the meaning.
 */
const BROADCAST_OPS = new Set(["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less", "Gemm"]);
/** Opset-7 definitions that only dropped `is_test` (inference behaviour is the same). */
const IS_TEST_OPS = new Set(["Dropout", "BatchNormalization"]);
/** Redefined at opset 7 in ways a rewrite of attributes cannot carry over: refuse. */
const CHANGED_AT_7 = new Set(["PRelu", "Upsample", "LSTM", "GRU", "RNN"]);

// onnx.proto3 field numbers.
const MODEL_GRAPH = 7;
const MODEL_OPSET_IMPORT = 8;
const GRAPH_NODE = 1;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_GRAPH = 6;
const ATTRIBUTE_GRAPHS = 11;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Why a model on an old opset could not be upgraded. */
export class LegacyOpsetError extends Error {
  override readonly name = "LegacyOpsetError";
}

/**
 * onnxruntime-web has no kernels for several operators before opset 7 (`Could not find an
 * implementation for Gemm(6)`), which old exports (PyTorch 0.3, early converters) use. This
 * does what ONNX's version converter does for opset < 7 → 7 when it is safe: stamps the default
 * opset as 7 and drops the attributes opset 7 removed. Anything it cannot carry over exactly is a
 * {@link LegacyOpsetError}, never a silent change of meaning.
 *
 * @example
 * const upgraded = upgradeLegacyOpset(bytes); // the same model at opset 7
 */
export function upgradeLegacyOpset(model: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of readFields(model)) {
    if (field.number === MODEL_GRAPH && field.bytes) parts.push(encodeBytesField(MODEL_GRAPH, rewriteGraph(field.bytes)));
    else if (field.number === MODEL_OPSET_IMPORT && field.bytes) {
      const opset = readOpset(field.bytes);
      const isDefault = opset.domain === "" || opset.domain === "ai.onnx";
      parts.push(
        isDefault && opset.version < 7
          ? encodeBytesField(MODEL_OPSET_IMPORT, concatFields([encodeBytesField(OPSET_DOMAIN, encoder.encode(opset.domain)), encodeVarintField(OPSET_VERSION, 7)]))
          : field.raw,
      );
    } else parts.push(field.raw);
  }
  return concatFields(parts);
}

function rewriteGraph(graph: Uint8Array): Uint8Array {
  return concatFields(
    [...readFields(graph)].map((field) => (field.number === GRAPH_NODE && field.bytes ? encodeBytesField(GRAPH_NODE, rewriteNode(field.bytes)) : field.raw)),
  );
}

function rewriteNode(node: Uint8Array): Uint8Array {
  const fields = [...readFields(node)];
  const text = (number: number) => {
    const found = fields.find((field) => field.number === number && field.bytes);
    return found?.bytes === undefined ? "" : decoder.decode(found.bytes);
  };
  const opType = text(NODE_OP_TYPE);
  const domain = text(NODE_DOMAIN);
  if (domain !== "" && domain !== "ai.onnx") return node;
  if (CHANGED_AT_7.has(opType)) throw new LegacyOpsetError(`${opType} changed meaning at opset 7; re-export the model with opset ≥ 7`);
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    if (field.number !== NODE_ATTRIBUTE || !field.bytes) {
      parts.push(field.raw);
      continue;
    }
    const name = attributeName(field.bytes);
    if (BROADCAST_OPS.has(opType) && name === "axis") {
      throw new LegacyOpsetError(`${opType} uses legacy axis broadcasting, which opset 7 cannot express; re-export the model with opset ≥ 7`);
    }
    if ((BROADCAST_OPS.has(opType) && name === "broadcast") || (IS_TEST_OPS.has(opType) && name === "is_test")) continue;
    parts.push(encodeBytesField(NODE_ATTRIBUTE, rewriteAttribute(field.bytes)));
  }
  return concatFields(parts);
}

function attributeName(attribute: Uint8Array): string {
  for (const field of readFields(attribute)) if (field.number === ATTRIBUTE_NAME && field.bytes) return decoder.decode(field.bytes);
  return "";
}

/** Subgraphs (If/Loop bodies) are rewritten too. */
function rewriteAttribute(attribute: Uint8Array): Uint8Array {
  return concatFields(
    [...readFields(attribute)].map((field) =>
      (field.number === ATTRIBUTE_GRAPH || field.number === ATTRIBUTE_GRAPHS) && field.bytes ? encodeBytesField(field.number, rewriteGraph(field.bytes)) : field.raw,
    ),
  );
}
