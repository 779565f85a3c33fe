/**
 * Graph fragments shared by the text models, on per-token features shaped [batch, seq, 1]:
 * shifting along the sequence (what the previous / next tokens are), channel splitting,
 * the attention-mask factor and a two-logit head.
 */
import { ElemType, GraphBuilder } from "../onnx-graph.ts";

const INT64_MAX = 9223372036854775807n;

/** Splits [B,S,H] into H tensors of shape [B,S,1]. */
export function splitChannels(g: GraphBuilder, x: string, channels: number): string[] {
  return g.nodeMulti("Split", [x, g.int64Const(new Array(channels).fill(1))], channels, { axis: { int: 2 } });
}

/** out[i] = x[i − k] (0 before the start): what the token k positions earlier carries. */
export function shiftRight(g: GraphBuilder, x: string, k: number): string {
  const padded = g.node("Pad", [x, g.int64Const([0, k, 0, 0, 0, 0])]);
  return g.node("Slice", [padded, g.int64Const([0]), g.int64Const([-k]), g.int64Const([1])]);
}

/** out[i] = x[i + k] (0 past the end): what the token k positions later carries. */
export function shiftLeft(g: GraphBuilder, x: string, k: number): string {
  const padded = g.node("Pad", [x, g.int64Const([0, 0, 0, 0, k, 0])]);
  return g.node("Slice", [padded, g.int64Const([k]), g.int64Const([INT64_MAX]), g.int64Const([1])]);
}

/** a·x + b elementwise, with scalar constants. */
export function affine(g: GraphBuilder, x: string, a: number, b: number): string {
  return g.node("Add", [g.node("Mul", [x, g.floatConst(a)]), g.floatConst(b)]);
}

/** min(max(x, lo), hi). */
export function clip(g: GraphBuilder, x: string, lo: number, hi: number): string {
  return g.node("Clip", [x, g.floatConst(lo), g.floatConst(hi)]);
}

/** attention_mask int64 [B,S] → float [B,S,1]. */
export function maskFactor(g: GraphBuilder, attentionMask: string): string {
  const f = g.node("Cast", [attentionMask], { to: { int: ElemType.FLOAT } });
  return g.node("Unsqueeze", [f, g.int64Const([2])]);
}

/** 1 from the first token after a contrast word onwards, 0 before it (cumulative, exclusive). */
export function afterFirst(g: GraphBuilder, flag: string): string {
  const seen = g.node("CumSum", [flag, g.int64Const([1])], { exclusive: { int: 1 } });
  return clip(g, seen, 0, 1);
}

/** [B,1] score → logits [B,2] = [−scale·s, +scale·s] (NEGATIVE, POSITIVE), named "logits". */
export function twoLogitHead(g: GraphBuilder, score: string, scale: number): string {
  const w = g.floatTensor("classifier.weight", [1, 2], [-scale, scale]);
  const b = g.floatTensor("classifier.bias", [2], [0, 0]);
  return g.node("Add", [g.node("MatMul", [score, w]), b], {}, "logits");
}
