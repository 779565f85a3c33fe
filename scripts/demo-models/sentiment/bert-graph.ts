/**
 * The ONNX graph of sentiment-bert: VADER's rules (Hutto & Gilbert 2014) as tensor operations.
 *
 *   x        = word_embeddings[input_ids] + token_type_embeddings[token_type_ids]   [B,S,10]
 *   v        = valence, zeroed for "won" in "won't" and "kind" in "kind of"
 *   v       += sign(v)·(boost[i−1] + 0.95·boost[i−2] + 0.9·boost[i−3])   (degree adverbs)
 *   v       *= −0.74 if a negator is among the 3 previous tokens
 *   v       *= 0.5 before the first "but", 1.5 after it; × segment weight × attention_mask
 *   s        = Σ v, pushed away from 0 by "!" (0.292 each, ≤ 4) and repeated "?"
 *   compound = s / √(s² + 15);  logits = [−2, +2]·compound
 */
import { ElemType, GraphBuilder } from "../onnx-graph.ts";
import { affine, afterFirst, clip, maskFactor, shiftLeft, shiftRight, splitChannels, twoLogitHead } from "./sequence-ops.ts";

/** Meaning of each embedding channel (hidden_size = 10). */
export const BERT_CHANNELS = [
  "valence",
  "negator",
  "booster",
  "contrast",
  "exclamation",
  "question",
  "of",
  "apostrophe_t",
  "hedge_head",
  "segment_weight",
] as const;

/** One token's features, by channel name. */
export type BertFeatures = Partial<Record<(typeof BERT_CHANNELS)[number], number>>;

/** VADER's constants. */
export const VADER = { negation: -0.74, booster: 0.293, exclamation: 0.292, alpha: 15 } as const;

const LOGIT_SCALE = 2;

/** Builds the graph around a word table [vocab, 10] and a token-type table [2, 10]. */
export function buildBertGraph(wordTable: Float32Array, tokenTypeTable: Float32Array): GraphBuilder {
  const H = BERT_CHANNELS.length;
  const vocabSize = wordTable.length / H;
  const g = new GraphBuilder("sentiment_bert");
  const dims = ["batch_size", "sequence_length"];
  const ids = g.input("input_ids", ElemType.INT64, dims);
  const attention = g.input("attention_mask", ElemType.INT64, dims);
  const types = g.input("token_type_ids", ElemType.INT64, dims);
  const words = g.floatTensor("embeddings.word_embeddings.weight", [vocabSize, H], wordTable);
  const segments = g.floatTensor("embeddings.token_type_embeddings.weight", [2, H], tokenTypeTable);
  const x = g.node("Add", [g.node("Gather", [words, ids]), g.node("Gather", [segments, types])], {}, "embeddings");
  const channels = splitChannels(g, x, H);
  const channel = (name: (typeof BERT_CHANNELS)[number]) => channels[BERT_CHANNELS.indexOf(name)] as string;
  const [valence, negator, booster, contrast] = [channel("valence"), channel("negator"), channel("booster"), channel("contrast")];
  const [exclamation, question, of] = [channel("exclamation"), channel("question"), channel("of")];
  const [apostropheT, hedge, segment] = [channel("apostrophe_t"), channel("hedge_head"), channel("segment_weight")];
  const mask = maskFactor(g, attention);

  // "won ' t", "can ' t": the stem is part of a negation, not a sentiment word.
  const notContraction = affine(g, shiftLeft(g, apostropheT, 2), -1, 1);
  const notHedge = affine(g, g.node("Mul", [hedge, shiftLeft(g, of, 1)]), -1, 1);
  const v0 = g.node("Mul", [g.node("Mul", [valence, notContraction]), notHedge]);

  const boost = g.node("Add", [
    g.node("Add", [shiftRight(g, booster, 1), g.node("Mul", [shiftRight(g, booster, 2), g.floatConst(0.95)])]),
    g.node("Mul", [shiftRight(g, booster, 3), g.floatConst(0.9)]),
  ]);
  const v1 = g.node("Add", [v0, g.node("Mul", [g.node("Sign", [v0]), boost])]);

  const negated = clip(
    g,
    g.node("Add", [g.node("Add", [shiftRight(g, negator, 1), shiftRight(g, negator, 2)]), shiftRight(g, negator, 3)]),
    0,
    1,
  );
  const v2 = g.node("Mul", [v1, affine(g, negated, VADER.negation - 1, 1)]);

  const hasContrast = g.node("ReduceMax", [g.node("Mul", [contrast, mask])], { axes: { ints: [1] }, keepdims: { int: 1 } });
  const contrastWeight = g.node("Add", [affine(g, hasContrast, -0.5, 1), afterFirst(g, contrast)]);
  const v3 = g.node("Mul", [g.node("Mul", [g.node("Mul", [v2, contrastWeight]), segment]), mask], {}, "token_valence");

  const total = g.node("ReduceSum", [v3, g.int64Const([1])], { keepdims: { int: 0 } });
  const bangs = g.node("ReduceSum", [g.node("Mul", [exclamation, mask]), g.int64Const([1])], { keepdims: { int: 0 } });
  const questions = g.node("ReduceSum", [g.node("Mul", [question, mask]), g.int64Const([1])], { keepdims: { int: 0 } });
  const bangBoost = g.node("Mul", [clip(g, bangs, 0, 4), g.floatConst(VADER.exclamation)]);
  const questionBoost = g.node("Where", [
    g.node("Greater", [questions, g.floatConst(3)]),
    g.floatConst(0.96),
    g.node("Where", [
      g.node("Greater", [questions, g.floatConst(1)]),
      g.node("Mul", [questions, g.floatConst(0.18)]),
      g.floatConst(0),
    ]),
  ]);
  const emphasis = g.node("Mul", [g.node("Sign", [total]), g.node("Add", [bangBoost, questionBoost])]);
  const s = g.node("Add", [total, emphasis]);
  const compound = g.node(
    "Div",
    [s, g.node("Sqrt", [g.node("Add", [g.node("Mul", [s, s]), g.floatConst(VADER.alpha)])])],
    {},
    "compound",
  );
  g.output(twoLogitHead(g, compound, LOGIT_SCALE), ElemType.FLOAT, ["batch_size", 2]);
  return g;
}
