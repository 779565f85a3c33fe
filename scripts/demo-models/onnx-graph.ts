/**
 * A small, deterministic ONNX graph builder over onnx-proto (ONNX 1.10 schema, IR 8).
 * Tensors are stored as little-endian raw_data, names come from counters, and nothing
 * depends on time or Map order, so the same calls always encode to the same bytes.
 */
import { onnx } from "onnx-proto";

/** ONNX element types used by the demo models. */
export const ElemType = { FLOAT: 1, UINT8: 2, INT8: 3, INT64: 7 } as const;
export type ElemType = (typeof ElemType)[keyof typeof ElemType];

/** A dimension: a fixed size, or a symbolic name such as "batch_size". */
export type Dim = number | string;

/** Typed attribute values; ONNX distinguishes ints from floats, so the caller says which. */
export type AttrValue =
  | { int: number }
  | { float: number }
  | { ints: number[] }
  | { floats: number[] }
  | { string: string };

/** Where an initializer's bytes live when stored as ONNX external data. */
export interface ExternalLocation {
  /** File name relative to the model file (never a path with folders). */
  location: string;
  offset: number;
  length: number;
}

/** The opset every demo graph is built against (onnxruntime-web 1.30 supports it fully). */
export const OPSET_VERSION = 13;
const IR_VERSION = 8;

function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return bytes;
}

function int64Bytes(values: ArrayLike<number | bigint>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i] as number | bigint), true);
  return bytes;
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function valueInfo(name: string, elemType: ElemType, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ("int" in value) return { name, type: T.INT, i: value.int };
  if ("float" in value) return { name, type: T.FLOAT, f: value.float };
  if ("ints" in value) return { name, type: T.INTS, ints: value.ints };
  if ("floats" in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
}

/**
 * Collects inputs, outputs, initializers and nodes of one graph.
 * @example
 * const g = new GraphBuilder("affine");
 * const x = g.input("x", ElemType.FLOAT, ["N", 2]);
 * const w = g.floatTensor("w", [2, 1], [0.5, -1]);
 * g.output(g.node("MatMul", [x, w], {}, "y"), ElemType.FLOAT, ["N", 1]);
 * const bytes = encodeModel(g, { producerName: "demo", docString: "y = x·w" });
 */
export class GraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`duplicate tensor name in graph: ${name}`);
    this.used.add(name);
    return name;
  }

  /** A name no tensor or node uses yet (not reserved until claimed). */
  private unused(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.used.has(name));
    return name;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, elemType: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elemType, dims));
    return name;
  }

  /** Declares an existing tensor as a graph output. */
  output(name: string, elemType: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a float32 initializer (raw little-endian bytes) and returns its name. */
  floatTensor(name: string, dims: number[], values: ArrayLike<number>): string {
    if (values.length !== product(dims)) throw new Error(`${name}: ${values.length} values for dims ${dims}`);
    this.initializers.push({ name: this.claim(name), dims, dataType: ElemType.FLOAT, rawData: float32Bytes(values) });
    return name;
  }

  /** Adds an initializer of any element type from its little-endian bytes and returns its name. */
  rawTensor(name: string, dims: number[], dataType: ElemType, rawData: Uint8Array): string {
    this.initializers.push({ name: this.claim(name), dims, dataType, rawData });
    return name;
  }

  /** Adds an int64 initializer and returns its name. */
  int64Tensor(name: string, dims: number[], values: ArrayLike<number | bigint>): string {
    if (values.length !== product(dims)) throw new Error(`${name}: ${values.length} values for dims ${dims}`);
    this.initializers.push({ name: this.claim(name), dims, dataType: ElemType.INT64, rawData: int64Bytes(values) });
    return name;
  }

  /** A float32 scalar (rank 0) or vector constant; equal constants share one initializer. */
  floatConst(values: number | number[]): string {
    const key = `f:${JSON.stringify(values)}`;
    const known = this.constants.get(key);
    if (known) return known;
    const list = typeof values === "number" ? [values] : values;
    const name = this.floatTensor(this.unused("const_f"), typeof values === "number" ? [] : [list.length], list);
    this.constants.set(key, name);
    return name;
  }

  /** An int64 vector constant (shapes, axes, pads, slice bounds); equal constants are shared. */
  int64Const(values: (number | bigint)[]): string {
    const key = `i:${values.map(String).join(",")}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.int64Tensor(this.unused("const_i"), [values.length], values);
    this.constants.set(key, name);
    return name;
  }

  /**
   * Adds a float32 initializer whose bytes live in a separate file (ONNX external data).
   * Returns the bytes that belong at `where.offset` in that file.
   */
  externalFloatTensor(name: string, dims: number[], values: ArrayLike<number>, where: ExternalLocation): Uint8Array {
    const bytes = float32Bytes(values);
    if (bytes.length !== where.length) throw new Error(`${name}: ${bytes.length} bytes, external length ${where.length}`);
    if (where.location.includes("/") || where.location.includes("\\")) throw new Error("external data must be a sibling file");
    this.initializers.push({
      name: this.claim(name),
      dims,
      dataType: ElemType.FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: "location", value: where.location },
        { key: "offset", value: String(where.offset) },
        { key: "length", value: String(where.length) },
      ],
    });
    return bytes;
  }

  /**
   * Appends a node with one output and returns the output's name.
   * `outputName` names the result (otherwise `<op>_<n>`).
   */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName?: string): string {
    const [out] = this.nodeMulti(opType, inputs, 1, attrs, outputName ? [outputName] : undefined);
    return out as string;
  }

  /** Appends a node with several outputs (Split, for instance) and returns their names. */
  nodeMulti(
    opType: string,
    inputs: string[],
    outputCount: number,
    attrs: Record<string, AttrValue> = {},
    outputNames?: string[],
  ): string[] {
    const base = this.claim(this.unused(opType.toLowerCase()));
    const outputs = outputNames
      ? outputNames.map((n) => this.claim(n))
      : Array.from({ length: outputCount }, (_, i) => this.claim(`${base}_out${i}`));
    const attribute_ = Object.keys(attrs)
      .sort()
      .map((k) => attribute(k, attrs[k] as AttrValue));
    this.nodes.push({ name: base, opType, input: inputs, output: outputs, attribute: attribute_ });
    return outputs;
  }

  /** The GraphProto so far. */
  toGraph(docString = ""): onnx.IGraphProto {
    return {
      name: this.name,
      docString,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}

/** Model-level fields written next to the graph. */
export interface ModelInfo {
  producerName: string;
  docString: string;
  graphDoc?: string;
  /** Written as metadata_props, in the given order. */
  metadata?: [string, string][];
}

/** Encodes the graph as an ONNX ModelProto (IR 8, default domain at OPSET_VERSION). */
export function encodeModel(graph: GraphBuilder, info: ModelInfo): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET_VERSION }],
    producerName: info.producerName,
    producerVersion: "1",
    modelVersion: 1,
    docString: info.docString,
    graph: graph.toGraph(info.graphDoc ?? ""),
    metadataProps: (info.metadata ?? []).map(([key, value]) => ({ key, value })),
  };
  const bytes = onnx.ModelProto.encode(model).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
}
