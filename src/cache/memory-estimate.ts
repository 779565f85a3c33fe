import { transformerModelBytes } from "../discovery/transformer-weights.ts";
import type { ModelMemory } from "../host/host-protocol.ts";
import type { ModelSpec } from "./model-types.ts";

/** What a model's memory was found to be, and the size of its files at that time. */
export interface PastMeasure {
  memory: ModelMemory;
  sizeBytes: number | undefined;
}

/**
 * A Prophet export's parsed form takes up to about 3 times its text in a worker's heap (measured:
 * a 110 KB export grew its heap by 0.31 MiB on first load, far less on later ones).
 */
const PROPHET_HEAP_FACTOR = 3;
/** The lexicon (wink-nlp and its English model) grew its worker's heap by 10.2 MiB when measured. */
const LEXICON_BYTES = 12 * 2 ** 20;

/**
 * The memory a model will take once loaded, from its files, before anything is loaded: what the
 * memory budget admits a load on. A model measured before from files of the same size (reloaded
 * after an eviction, say) is expected to take what it took then. Otherwise: an ONNX graph holds
 * its weights (the file, or the folder with its external data); a transformer holds the weights of
 * its dtype plus its tokenizer (other dtypes in the folder are not counted); a Prophet export a
 * few times its text; the lexicon a fixed measured figure; a custom model nothing known (0).
 *
 * @example
 * await estimateMemory({ name: "iris", modelType: "onnx", sizeBytes: 808, … }); // 808
 */
export async function estimateMemory(spec: ModelSpec, past?: PastMeasure): Promise<number> {
  if (past !== undefined && past.memory.method !== "estimate" && past.sizeBytes === spec.sizeBytes) return past.memory.bytes;
  switch (spec.modelType) {
    case "onnx":
      return spec.sizeBytes ?? 0;
    case "transformer":
      return spec.path === undefined ? (spec.sizeBytes ?? 0) : transformerModelBytes(spec.path, spec.dtype ?? "fp32");
    case "prophet":
      return (spec.sizeBytes ?? 0) * PROPHET_HEAP_FACTOR;
    case "lexicon":
      return LEXICON_BYTES;
    case "custom":
      return 0;
  }
}
