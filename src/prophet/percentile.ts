/**
 * numpy.percentile with its default "linear" method, on one run of samples, by selection
 * instead of a full sort (two quantiles per row are all Prophet asks for).
 */

/**
 * The p-th percentile (0..100) of `values[start .. start + count)`. Reorders that range.
 *
 * @example
 * percentileInPlace(Float64Array.of(4, 1, 3, 2), 0, 4, 50); // 2.5
 */
export function percentileInPlace(
  values: Float64Array,
  start: number,
  count: number,
  p: number,
): number {
  const position = (p / 100) * (count - 1);
  const below = Math.floor(position);
  const fraction = position - below;
  const a = select(values, start, start + count - 1, start + below);
  if (fraction === 0 || below + 1 >= count) return a;
  // After selection everything right of `below` is >= a; the next order statistic is their min.
  let b = Infinity;
  for (let i = start + below + 1; i < start + count; i++) if (values[i]! < b) b = values[i]!;
  // numpy's _lerp, including its switch to the upper end for fractions of one half or more.
  const diff = b - a;
  return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
}

/** Hoare-style quickselect: puts the k-th smallest of values[lo..hi] at k and returns it. */
function select(values: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot keeps sorted and reversed runs fast.
    const x = values[lo]!;
    const y = values[mid]!;
    const z = values[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const tmp = values[i]!;
        values[i] = values[j]!;
        values[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}
