/**
 * The Hugging Face tokenizer files of a BERT-style WordPiece tokenizer: tokenizer.json (the
 * `tokenizers` format transformers.js reads), tokenizer_config.json, special_tokens_map.json
 * and vocab.txt (for Python's slow BertTokenizer).
 */
import { jsonFile, textFile, type GeneratedFile } from "../generated-file.ts";
import { SPECIAL_TOKENS, type Vocabulary } from "./vocabulary.ts";

/** Longest sequence the tokenizer produces when truncation is requested. */
export const MODEL_MAX_LENGTH = 512;

/** Which Python tokenizer class the folder names. */
export type TokenizerClass = "BertTokenizer" | "DistilBertTokenizer";

function id(vocab: Vocabulary, token: string): number {
  const value = vocab.ids.get(token);
  if (value === undefined) throw new Error(`token missing from vocabulary: ${token}`);
  return value;
}

function tokenizerJson(vocab: Vocabulary): unknown {
  const special = (token: string, typeId: number) => ({ SpecialToken: { id: token, type_id: typeId } });
  const sequence = (name: "A" | "B", typeId: number) => ({ Sequence: { id: name, type_id: typeId } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(vocab, content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
      pair: [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1), special("[SEP]", 1)],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [id(vocab, "[CLS]")], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [id(vocab, "[SEP]")], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      // A Map keeps id order in the file; an object would hoist "0".."9" to the front.
      vocab: new Map(vocab.tokens.map((t, i) => [t, i])),
    },
  };
}

function tokenizerConfig(vocab: Vocabulary, tokenizerClass: TokenizerClass): unknown {
  const decoder = new Map(
    SPECIAL_TOKENS.map((content) => [
      String(id(vocab, content)),
      { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
    ]),
  );
  return {
    added_tokens_decoder: decoder,
    clean_up_tokenization_spaces: true,
    cls_token: "[CLS]",
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: "[MASK]",
    model_input_names:
      tokenizerClass === "DistilBertTokenizer"
        ? ["input_ids", "attention_mask"]
        : ["input_ids", "token_type_ids", "attention_mask"],
    model_max_length: MODEL_MAX_LENGTH,
    never_split: null,
    pad_token: "[PAD]",
    sep_token: "[SEP]",
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: tokenizerClass,
    unk_token: "[UNK]",
  };
}

/** tokenizer.json, tokenizer_config.json, special_tokens_map.json and vocab.txt under `folder`. */
export function tokenizerFiles(folder: string, vocab: Vocabulary, tokenizerClass: TokenizerClass): GeneratedFile[] {
  return [
    jsonFile(`${folder}/tokenizer.json`, tokenizerJson(vocab)),
    jsonFile(`${folder}/tokenizer_config.json`, tokenizerConfig(vocab, tokenizerClass)),
    jsonFile(`${folder}/special_tokens_map.json`, {
      cls_token: "[CLS]",
      mask_token: "[MASK]",
      pad_token: "[PAD]",
      sep_token: "[SEP]",
      unk_token: "[UNK]",
    }),
    textFile(`${folder}/vocab.txt`, `${vocab.tokens.join("\n")}\n`),
  ];
}
