/**
 * The graph of a DistilBERT-base sequence classifier, as Hugging Face Optimum exports
 * `distilbert-base-uncased-finetuned-sst-2-english` (opset 13, LayerNorm and GELU spelled out,
 * attention as MatMul/Softmax), with seeded random weights instead of trained ones:
 *
 *   x = LayerNorm(word[input_ids] + position[0..S))
 *   6 × { x = LayerNorm(x + Attention(x));  x = LayerNorm(x + W2·GELU(W1·x)) }   (12 heads, 768, FFN 3072)
 *   logits = W_c · ReLU(W_p · x[:, 0])                                           [batch, 2]
 *
 * fp32 it is 268 MB; with `int8` the linear layers and the word embeddings are stored as int8
 * (onnxruntime's dynamic quantisation pattern), about a quarter of that.
 */
import { ElemType, GraphBuilder } from "../../demo-models/onnx-graph.ts";
import { floatWeights, gelu, int8Weights, layerNorm, linear, seededFloats, type WeightSource } from "./linear-layers.ts";

/** The sizes of a DistilBERT-style classifier. */
export interface DistilbertSizes {
  vocabSize: number;
  maxPositions: number;
  dim: number;
  heads: number;
  hiddenDim: number;
  layers: number;
  labels: number;
}

/** The sizes of distilbert-base-uncased. */
export const DISTILBERT_BASE: DistilbertSizes = {
  vocabSize: 30_522,
  maxPositions: 512,
  dim: 768,
  heads: 12,
  hiddenDim: 3072,
  layers: 6,
  labels: 2,
};

/**
 * Builds the whole classifier; weights are drawn from `source` in a fixed order. Smaller
 * `sizes` give the same architecture in miniature (tests use one).
 */
export function buildDistilbertBaseGraph(source: WeightSource, sizes: DistilbertSizes = DISTILBERT_BASE): GraphBuilder {
  const { vocabSize, maxPositions, dim, layers, hiddenDim, labels } = sizes;
  const g = new GraphBuilder("distilbert_base_bench");
  const dims = ["batch_size", "sequence_length"];
  const ids = g.input("input_ids", ElemType.INT64, dims);
  const mask = g.input("attention_mask", ElemType.INT64, dims);

  const words = wordEmbeddings(g, source, ids, vocabSize, dim);
  const positionTable = floatWeights(g, "distilbert.embeddings.position_embeddings.weight", [maxPositions, dim], seededFloats(source, maxPositions * dim));
  const length = g.node("Gather", [g.node("Shape", [ids]), g.int64Tensor("seq_axis", [], [1])], { axis: { int: 0 } });
  const positions = g.node("Range", [g.int64Tensor("range_start", [], [0]), length, g.int64Tensor("range_step", [], [1])]);
  let x = layerNorm(g, g.node("Add", [words, g.node("Gather", [positionTable, positions])]), "distilbert.embeddings.LayerNorm", dim);

  // Padding positions get −10⁴ before the softmax: [B,S] → [B,1,1,S].
  const keep = g.node("Cast", [mask], { to: { int: ElemType.FLOAT } });
  const maskBias = g.node("Unsqueeze", [g.node("Mul", [g.node("Sub", [g.floatConst(1), keep]), g.floatConst(-1e4)]), g.int64Const([1, 2])]);

  for (let layer = 0; layer < layers; layer++) {
    const prefix = `distilbert.transformer.layer.${layer}`;
    x = layerNorm(g, g.node("Add", [x, attention(g, source, x, maskBias, prefix, sizes)]), `${prefix}.sa_layer_norm`, dim);
    const hidden = gelu(g, linear(g, source, x, `${prefix}.ffn.lin1`, dim, hiddenDim));
    x = layerNorm(g, g.node("Add", [x, linear(g, source, hidden, `${prefix}.ffn.lin2`, hiddenDim, dim)]), `${prefix}.output_layer_norm`, dim);
  }

  const cls = g.node("Gather", [x, g.int64Tensor("cls_index", [], [0])], { axis: { int: 1 } });
  const pooled = g.node("Relu", [linear(g, source, cls, "pre_classifier", dim, dim)]);
  g.output(g.node("Identity", [linear(g, source, pooled, "classifier", dim, labels)], {}, "logits"), ElemType.FLOAT, ["batch_size", labels]);
  return g;
}

/** word_embeddings[input_ids]: a Gather, from an int8 table followed by DequantizeLinear when quantised. */
function wordEmbeddings(g: GraphBuilder, source: WeightSource, ids: string, vocabSize: number, dim: number): string {
  const name = "distilbert.embeddings.word_embeddings.weight";
  const table = seededFloats(source, vocabSize * dim);
  if (!source.int8) return g.node("Gather", [floatWeights(g, name, [vocabSize, dim], table), ids]);
  const w = int8Weights(g, name, [vocabSize, dim], table);
  return g.node("DequantizeLinear", [g.node("Gather", [w.q, ids]), w.scale, w.zero]);
}

/** Multi-head self-attention with the padding bias, then the output projection. */
function attention(g: GraphBuilder, source: WeightSource, x: string, maskBias: string, prefix: string, sizes: DistilbertSizes): string {
  const { dim, heads } = sizes;
  const headDim = dim / heads;
  const split = g.int64Const([0, 0, heads, headDim]);
  const heads4d = (name: string, perm: number[]) =>
    g.node("Transpose", [g.node("Reshape", [linear(g, source, x, `${prefix}.attention.${name}`, dim, dim), split])], { perm: { ints: perm } });
  const q = heads4d("q_lin", [0, 2, 1, 3]);
  const k = heads4d("k_lin", [0, 2, 3, 1]);
  const v = heads4d("v_lin", [0, 2, 1, 3]);
  const scores = g.node("Add", [g.node("MatMul", [g.node("Div", [q, g.floatConst(Math.sqrt(headDim))]), k]), maskBias]);
  const context = g.node("MatMul", [g.node("Softmax", [scores], { axis: { int: -1 } }), v]);
  const merged = g.node("Reshape", [g.node("Transpose", [context], { perm: { ints: [0, 2, 1, 3] } }), g.int64Const([0, 0, dim])]);
  return linear(g, source, merged, `${prefix}.attention.out_lin`, dim, dim);
}
