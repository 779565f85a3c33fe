/**
 * Groups items of different lengths into batches whose padding stays small: a batch of texts is
 * padded to its longest, so one long text among short ones makes every row pay for its length.
 * Items are sorted by length and cut into runs where the padded size stays within
 * `maxPaddingRatio` of the real size.
 */

/** How {@link groupByLength} cuts. */
export interface LengthBucketOptions {
  /** Most items in one batch. */
  maxBatch: number;
  /** Padded size over real size allowed in one batch (default 1.3: at most 30 % padding). */
  maxPaddingRatio?: number;
}

/**
 * The items as batches of similar length, shortest first; every item is in exactly one batch.
 *
 * @example
 * groupByLength(["a", "bb", "a much longer text"], (t) => t.length, { maxBatch: 8 });
 * // [["a", "bb"], ["a much longer text"]]
 */
export function groupByLength<T>(items: readonly T[], lengthOf: (item: T) => number, options: LengthBucketOptions): T[][] {
  const ratio = options.maxPaddingRatio ?? 1.3;
  const sorted = items.map((item) => ({ item, length: Math.max(1, lengthOf(item)) })).sort((a, b) => a.length - b.length);
  const batches: T[][] = [];
  let batch: T[] = [];
  let realSize = 0;
  for (const { item, length } of sorted) {
    // Sorted ascending: the newcomer is the longest, so the batch would be padded to its length.
    const fits = batch.length < options.maxBatch && length * (batch.length + 1) <= ratio * (realSize + length);
    if (!fits && batch.length > 0) {
      batches.push(batch);
      batch = [];
      realSize = 0;
    }
    batch.push(item);
    realSize += length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
