/**
 * The ONNX graph of sentiment-distilbert: AFINN-165 valences, a convolution for negation and
 * a salience-attention read-out instead of a plain sum.
 *
 *   x      = word_embeddings[input_ids]                                   [B,S,7]
 *   v      = valence (0 for "won" in "won't" and "kind" in "kind of")
 *   v     *= 1 + intensity[i−1]                        (very ×1.3, slightly ×0.7)
 *   neg    = clip(Conv1d(negator, kernel [1,1,1,0], causal), 0, 1)   (negator in the 3 previous tokens)
 *   v     *= 1 − 1.5·neg                               (negated words flip at half strength)
 *   a      = softmax_over_tokens(|v|/2 + ln2·[after "but"] − 10⁴·[padding])
 *   pooled = aᵀ·v (MatMul);  logits = [−2.5, +2.5]·tanh(pooled / 2)
 */
import { ElemType, GraphBuilder } from "../onnx-graph.ts";
import { affine, afterFirst, clip, maskFactor, shiftLeft, shiftRight, splitChannels, twoLogitHead } from "./sequence-ops.ts";

/** Meaning of each embedding channel (dim = 7). */
export const DISTILBERT_CHANNELS = [
  "valence",
  "negator",
  "intensity",
  "contrast",
  "apostrophe_t",
  "of",
  "hedge_head",
] as const;

/** One token's features, by channel name. */
export type DistilbertFeatures = Partial<Record<(typeof DISTILBERT_CHANNELS)[number], number>>;

/** Rule constants of this model. */
export const DISTILBERT_RULES = {
  negation: -0.5,
  intensify: 0.3,
  attentionTemperature: 2,
  contrastBonus: Math.LN2,
  squash: 0.5,
  logitScale: 2.5,
} as const;

/** Builds the graph around a word table [vocab, 7]. */
export function buildDistilbertGraph(wordTable: Float32Array): GraphBuilder {
  const H = DISTILBERT_CHANNELS.length;
  const vocabSize = wordTable.length / H;
  const g = new GraphBuilder("sentiment_distilbert");
  const dims = ["batch_size", "sequence_length"];
  const ids = g.input("input_ids", ElemType.INT64, dims);
  const attention = g.input("attention_mask", ElemType.INT64, dims);
  const words = g.floatTensor("distilbert.embeddings.word_embeddings.weight", [vocabSize, H], wordTable);
  const x = g.node("Gather", [words, ids], {}, "embeddings");
  const channels = splitChannels(g, x, H);
  const channel = (name: (typeof DISTILBERT_CHANNELS)[number]) => channels[DISTILBERT_CHANNELS.indexOf(name)] as string;
  const [valence, negator, intensity, contrast] = [channel("valence"), channel("negator"), channel("intensity"), channel("contrast")];
  const [apostropheT, of, hedge] = [channel("apostrophe_t"), channel("of"), channel("hedge_head")];
  const mask = maskFactor(g, attention);

  const notContraction = affine(g, shiftLeft(g, apostropheT, 2), -1, 1);
  const notHedge = affine(g, g.node("Mul", [hedge, shiftLeft(g, of, 1)]), -1, 1);
  const v0 = g.node("Mul", [g.node("Mul", [valence, notContraction]), notHedge]);
  const v1 = g.node("Mul", [v0, affine(g, shiftRight(g, intensity, 1), 1, 1)]);

  // Causal 1-D convolution over the negator channel: out[i] = neg[i−3] + neg[i−2] + neg[i−1].
  const kernel = g.floatTensor("negation.conv.weight", [1, 1, 4], [1, 1, 1, 0]);
  const negRow = g.node("Transpose", [negator], { perm: { ints: [0, 2, 1] } });
  const negWindow = g.node("Conv", [negRow, kernel], { pads: { ints: [3, 0] }, kernel_shape: { ints: [4] } });
  const negated = clip(g, g.node("Transpose", [negWindow], { perm: { ints: [0, 2, 1] } }), 0, 1);
  const v2 = g.node(
    "Mul",
    [g.node("Mul", [v1, affine(g, negated, DISTILBERT_RULES.negation - 1, 1)]), mask],
    {},
    "token_valence",
  );

  const salience = g.node("Mul", [g.node("Abs", [v2]), g.floatConst(1 / DISTILBERT_RULES.attentionTemperature)]);
  const contrastBonus = g.node("Mul", [afterFirst(g, contrast), g.floatConst(DISTILBERT_RULES.contrastBonus)]);
  const padding = affine(g, mask, 1e4, -1e4);
  const scores = g.node("Add", [g.node("Add", [salience, contrastBonus]), padding]);
  const weights = g.node("Softmax", [scores], { axis: { int: 1 } }, "attention_weights");
  const pooled3d = g.node("MatMul", [g.node("Transpose", [weights], { perm: { ints: [0, 2, 1] } }), v2]);
  const pooled = g.node("Squeeze", [pooled3d, g.int64Const([2])], {}, "pooled");
  const hidden = g.node("Tanh", [g.node("Mul", [pooled, g.floatConst(DISTILBERT_RULES.squash)])]);
  g.output(twoLogitHead(g, hidden, DISTILBERT_RULES.logitScale), ElemType.FLOAT, ["batch_size", 2]);
  return g;
}
