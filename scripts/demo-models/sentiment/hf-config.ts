/**
 * config.json of the demo text classifiers. Sizes describe the real graphs: hidden_size is the
 * width of the word-embedding table (one channel per rule feature), there are no transformer
 * layers, and max_position_embeddings is the tokenizer's truncation limit (the graphs have no
 * position table, so any length runs).
 */
import { MODEL_MAX_LENGTH } from "./tokenizer-files.ts";

const ID2LABEL = { "0": "NEGATIVE", "1": "POSITIVE" };
const LABEL2ID = { NEGATIVE: 0, POSITIVE: 1 };

/** BertForSequenceClassification config. */
export function bertConfig(vocabSize: number, hiddenSize: number): Record<string, unknown> {
  return {
    architectures: ["BertForSequenceClassification"],
    attention_probs_dropout_prob: 0,
    classifier_dropout: null,
    hidden_act: "gelu",
    hidden_dropout_prob: 0,
    hidden_size: hiddenSize,
    id2label: ID2LABEL,
    initializer_range: 0.02,
    intermediate_size: hiddenSize,
    label2id: LABEL2ID,
    layer_norm_eps: 1e-12,
    max_position_embeddings: MODEL_MAX_LENGTH,
    model_type: "bert",
    num_attention_heads: 1,
    num_hidden_layers: 0,
    pad_token_id: 0,
    position_embedding_type: "absolute",
    problem_type: "single_label_classification",
    type_vocab_size: 2,
    use_cache: false,
    vocab_size: vocabSize,
  };
}

/** DistilBertForSequenceClassification config (DistilBERT names: dim, n_layers, n_heads). */
export function distilbertConfig(vocabSize: number, dim: number): Record<string, unknown> {
  return {
    activation: "gelu",
    architectures: ["DistilBertForSequenceClassification"],
    attention_dropout: 0,
    dim,
    dropout: 0,
    hidden_dim: dim,
    id2label: ID2LABEL,
    initializer_range: 0.02,
    label2id: LABEL2ID,
    max_position_embeddings: MODEL_MAX_LENGTH,
    model_type: "distilbert",
    n_heads: 1,
    n_layers: 0,
    pad_token_id: 0,
    problem_type: "single_label_classification",
    qa_dropout: 0,
    seq_classif_dropout: 0,
    sinusoidal_pos_embds: false,
    tie_weights_: true,
    vocab_size: vocabSize,
  };
}
