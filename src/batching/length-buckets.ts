/**
 * Chooses which waiting requests run together. A batch of texts is padded to its longest, so one
 * long text among short ones makes every row pay for its length: the batch is built around the
 * request that has waited longest, from the others whose length is close to it, as long as the
 * padded size stays within `maxPaddingRatio` of the real size.
 */

/** How {@link takeBatch} chooses. */
export interface BatchChoice<T> {
  /** Most rows in one batch (a request with more rows runs alone). */
  maxBatch: number;
  /** Padded size over real size allowed in one batch (default 1.3: at most 30 % padding). */
  maxPaddingRatio?: number;
  /** Length of a request's rows (tokens, characters); all alike: `() => 1`. */
  lengthOf: (item: T) => number;
  /** Rows a request brings (default 1); each is padded to the batch's longest. */
  rowsOf?: (item: T) => number;
}

/**
 * The batch to run next from `waiting` (oldest first): the first request, and others of
 * similar length, nearest lengths first, then oldest first. The caller removes them from the queue.
 *
 * @example
 * takeBatch(["a long text here", "short", "tiny", "another long one"], { maxBatch: 8, lengthOf: (t) => t.length });
 * // ["a long text here", "another long one"]
 */
export function takeBatch<T>(waiting: readonly T[], choice: BatchChoice<T>): T[] {
  const first = waiting[0];
  if (first === undefined) return [];
  const ratio = choice.maxPaddingRatio ?? 1.3;
  const rowsOf = choice.rowsOf ?? (() => 1);
  const lengthOf = (item: T) => Math.max(1, choice.lengthOf(item));
  const anchor = lengthOf(first);
  const batch: T[] = [first];
  let rows = rowsOf(first);
  let longest = anchor;
  let real = anchor * rows;
  const others = waiting
    .slice(1)
    .map((item, index) => ({ item, index, length: lengthOf(item), rows: rowsOf(item) }))
    .sort((a, b) => Math.abs(a.length - anchor) - Math.abs(b.length - anchor) || a.index - b.index);
  for (const other of others) {
    if (rows + other.rows > choice.maxBatch) continue;
    const padded = Math.max(longest, other.length) * (rows + other.rows);
    if (padded > ratio * (real + other.length * other.rows)) continue;
    batch.push(other.item);
    rows += other.rows;
    longest = Math.max(longest, other.length);
    real += other.length * other.rows;
  }
  return batch;
}
