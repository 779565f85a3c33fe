/** An ONNX graph, built in memory, that passes one tensor of every OIP datatype through Identity. */
import { onnx } from "onnx-proto";
import { OIP_DATATYPES } from "../../src/inference/datatypes.ts";
import type { OipDatatype } from "../../src/inference/tensor.ts";

const T = onnx.TensorProto.DataType;

/** ONNX element type of each OIP datatype. */
export const ONNX_ELEMENT_TYPE: Record<OipDatatype, number> = {
  BOOL: T.BOOL, UINT8: T.UINT8, UINT16: T.UINT16, UINT32: T.UINT32, UINT64: T.UINT64,
  INT8: T.INT8, INT16: T.INT16, INT32: T.INT32, INT64: T.INT64,
  FP16: T.FLOAT16, FP32: T.FLOAT, FP64: T.DOUBLE, BYTES: T.STRING,
};

const valueInfo = (name: string, elemType: number, dims?: (number | string)[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        ...(dims ? { shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } : {}),
      },
    },
  });

/**
 * Model bytes: inputs `in_<DATATYPE>` of shape ["N", 2] → outputs `out_<DATATYPE>`, plus
 * `norank` (no declared shape) and `scalar` (shape []) FP32 pass-throughs.
 */
export function identityModelBytes(): Uint8Array {
  const input = OIP_DATATYPES.map((d) => valueInfo(`in_${d}`, ONNX_ELEMENT_TYPE[d], ["N", 2]));
  const output = OIP_DATATYPES.map((d) => valueInfo(`out_${d}`, ONNX_ELEMENT_TYPE[d], ["N", 2]));
  const node = OIP_DATATYPES.map((d) => onnx.NodeProto.create({ opType: "Identity", input: [`in_${d}`], output: [`out_${d}`] }));
  input.push(valueInfo("norank", T.FLOAT), valueInfo("scalar", T.FLOAT, []));
  output.push(valueInfo("norank_out", T.FLOAT), valueInfo("scalar_out", T.FLOAT, []));
  node.push(
    onnx.NodeProto.create({ opType: "Identity", input: ["norank"], output: ["norank_out"] }),
    onnx.NodeProto.create({ opType: "Identity", input: ["scalar"], output: ["scalar_out"] }),
  );
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: { name: "identity", node, input, output },
  });
  return onnx.ModelProto.encode(model).finish();
}
