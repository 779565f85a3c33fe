/**
 * Fourier features of a seasonality, as Prophet's fourier_series builds them: time is whole
 * seconds since 1970-01-01 divided by 86400 (days since the epoch, not since the history start),
 * and columns alternate sin, cos for n = 1..order.
 */
import { MS_PER_DAY } from "./dates.ts";

/**
 * Days since the epoch the way Prophet computes them: `ds_ns // 1e9 / 86400`.
 *
 * @example
 * epochDays(Date.UTC(1970, 0, 2, 12)); // 1.5
 */
export function epochDays(ms: number): number {
  return Math.floor(ms / 1000) / (MS_PER_DAY / 1000);
}

/** Where a seasonality's columns go in the row-major feature matrix. */
export interface FourierTarget {
  /** Row-major feature matrix, `rows * width` values. */
  matrix: Float64Array;
  width: number;
  /** First column of this seasonality. */
  column: number;
}

/**
 * Writes the 2 * order Fourier columns of one seasonality. Rows whose `condition` is 0 keep
 * zeros, as Prophet zeroes a conditional seasonality where its column is false.
 *
 * @example
 * const matrix = new Float64Array(2);
 * fillFourier({ matrix, width: 2, column: 0 }, Float64Array.of(1.75), 7, 1); // sin = 1, cos ≈ 0
 */
export function fillFourier(
  target: FourierTarget,
  days: Float64Array,
  period: number,
  order: number,
  condition?: Uint8Array,
): void {
  const { matrix, width, column } = target;
  for (let r = 0; r < days.length; r++) {
    if (condition && condition[r] === 0) continue;
    // Same operation order as numpy: ((t * pi) * 2) * n / period.
    const xT = days[r]! * Math.PI * 2;
    const base = r * width + column;
    for (let i = 0; i < order; i++) {
      const c = (xT * (i + 1)) / period;
      matrix[base + 2 * i] = Math.sin(c);
      matrix[base + 2 * i + 1] = Math.cos(c);
    }
  }
}
