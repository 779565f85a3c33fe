/**
 * Turns per-token feature records into the word-embedding matrix of a text model:
 * row = token id, column = channel. Tokens without features get a zero row.
 */
import type { Vocabulary } from "./vocabulary.ts";

/**
 * A float32 [vocab, channels] table, row-major.
 * @example
 * featureTable(vocab, ["valence", "negator"], (t) => (t === "good" ? { valence: 1.9 } : {}));
 */
export function featureTable<C extends string>(
  vocab: Vocabulary,
  channels: readonly C[],
  featuresOf: (token: string) => Partial<Record<C, number>>,
): Float32Array {
  const table = new Float32Array(vocab.tokens.length * channels.length);
  vocab.tokens.forEach((token, row) => {
    const features = featuresOf(token);
    channels.forEach((channel, col) => {
      table[row * channels.length + col] = features[channel] ?? 0;
    });
  });
  return table;
}
