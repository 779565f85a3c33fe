/**
 * Chooses which waiting requests run together. A batch of texts is padded to its longest, so one
 * long text among short ones makes every row pay for its length: the batch is built around the
 * request that has waited longest, then filled with the others oldest first, each taken only if
 * the padded size stays within `maxPaddedSize`, and within `maxPaddingRatio` of the real size or
 * `paddingSlack` units of it (padding that costs less than a run of its own, see RunCost).
 *
 * Measured for a DistilBERT-sized model on 2 cores (see docs/benchmarks.md): past 8 rows of 16
 * tokens a batch is no cheaper per row, only longer, and every request that waits for it waits
 * longer; filled by nearest length instead of age, texts of unusual length were overtaken again
 * and again (p99 1.6× the p50). Oldest-first filling and a cap on the padded size give the
 * throughput of batching with a tail as short as one-at-a-time serving.
 */

/** How {@link takeBatch} chooses. */
export interface BatchChoice<T> {
  /** Most rows in one batch (a request with more rows runs alone). */
  maxBatch: number;
  /** Padded size over real size allowed in one batch (default 1.2: at most 20 % padding). */
  maxPaddingRatio?: number;
  /** Most rows × longest length in one batch (default: no limit); a request over it runs alone. */
  maxPaddedSize?: number;
  /** Padding allowed whatever the ratio, in units of padded size (default 0). */
  paddingSlack?: number;
  /** Length of a request's rows (tokens, characters); all alike: `() => 1`. */
  lengthOf: (item: T) => number;
  /** Rows a request brings (default 1); each is padded to the batch's longest. */
  rowsOf?: (item: T) => number;
}

/**
 * The batch to run next from `waiting` (oldest first): the first request, and the others, oldest
 * first, that keep the batch within its limits. The caller removes them from the queue.
 *
 * @example
 * takeBatch(["a long text here", "short", "tiny", "another long one"], { maxBatch: 8, lengthOf: (t) => t.length });
 * // ["a long text here", "another long one"]
 */
export function takeBatch<T>(waiting: readonly T[], choice: BatchChoice<T>): T[] {
  const first = waiting[0];
  if (first === undefined) return [];
  const ratio = choice.maxPaddingRatio ?? 1.2;
  const maxPadded = choice.maxPaddedSize ?? Number.POSITIVE_INFINITY;
  const slack = choice.paddingSlack ?? 0;
  const rowsOf = choice.rowsOf ?? (() => 1);
  const lengthOf = (item: T) => Math.max(1, choice.lengthOf(item));
  const batch: T[] = [first];
  let rows = rowsOf(first);
  let longest = lengthOf(first);
  let real = longest * rows;
  for (let index = 1; index < waiting.length && rows < choice.maxBatch; index++) {
    const other = waiting[index]!;
    const otherRows = rowsOf(other);
    if (rows + otherRows > choice.maxBatch) continue;
    const length = lengthOf(other);
    const padded = Math.max(longest, length) * (rows + otherRows);
    const realAfter = real + length * otherRows;
    if (padded > maxPadded || (padded > ratio * realAfter && padded - realAfter > slack)) continue;
    batch.push(other);
    rows += otherRows;
    longest = Math.max(longest, length);
    real += length * otherRows;
  }
  return batch;
}

/**
 * About how many tokens a subword tokenizer (WordPiece, BPE) makes of `text`: its words and
 * punctuation marks, plus the two special tokens of a classifier's input. Cheap enough for every
 * request on the HTTP thread, where the model's own tokenizer is not; within 3 % of DistilBERT's
 * tokenizer on average over the SST-2 sentences.
 *
 * @example
 * estimatedTokens("it's a charming movie."); // 9
 */
export function estimatedTokens(text: string): number {
  let count = 2;
  for (const _ of text.matchAll(/\w+|[^\w\s]/g)) count++;
  return count;
}
