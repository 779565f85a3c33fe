/**
 * Prophet's trend functions on scaled time t (0 at the history start, 1 at its end), in scaled
 * units (before `* y_scale + floor`). Ports of forecaster.py's piecewise_linear,
 * piecewise_logistic and flat_trend. Sums run in changepoint order; numpy's pairwise sums may
 * differ from them in the last bit, far below any tolerance that matters.
 */
import type { Growth } from "./prophet-model.ts";

/** Parameters of one trend: initial rate k, offset m, rate changes at the changepoints. */
export interface TrendParams {
  k: number;
  m: number;
  deltas: readonly number[];
  changepointsT: readonly number[];
}

/**
 * Piecewise linear trend: the rate is k plus every delta whose changepoint is at or before t.
 *
 * @example
 * piecewiseLinear(Float64Array.of(0.5), { k: 1, m: 0, deltas: [1], changepointsT: [0.25] })[0]; // 0.75
 */
export function piecewiseLinear(t: Float64Array, p: TrendParams): Float64Array {
  const out = new Float64Array(t.length);
  const s = p.changepointsT.length;
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    let dk = 0;
    let dm = 0;
    for (let j = 0; j < s; j++) {
      const cp = p.changepointsT[j]!;
      if (cp <= ti) {
        const d = p.deltas[j]!;
        dk += d;
        dm += d * -cp;
      }
    }
    out[i] = (dk + p.k) * ti + (dm + p.m);
  }
  return out;
}

/**
 * Offsets that keep the logistic curve continuous at each changepoint (Prophet's gammas).
 *
 * @example
 * logisticGammas({ k: 2, m: 0, deltas: [2], changepointsT: [0.5] }); // [0.25]
 */
export function logisticGammas(p: TrendParams): number[] {
  const gammas: number[] = [];
  let kCum = p.k;
  let gammaSum = 0;
  for (let i = 0; i < p.changepointsT.length; i++) {
    const kNext = kCum + p.deltas[i]!;
    const g = (p.changepointsT[i]! - p.m - gammaSum) * (1 - kCum / kNext);
    gammas.push(g);
    gammaSum += g;
    kCum = kNext;
  }
  return gammas;
}

/**
 * Piecewise logistic trend with capacity `capScaled` per row.
 *
 * @example
 * const p = { k: 1, m: 0, deltas: [0], changepointsT: [0.5] };
 * piecewiseLogistic(Float64Array.of(0), Float64Array.of(1), p)[0]; // 0.5
 */
export function piecewiseLogistic(
  t: Float64Array,
  capScaled: Float64Array,
  p: TrendParams,
): Float64Array {
  const gammas = logisticGammas(p);
  const out = new Float64Array(t.length);
  const s = p.changepointsT.length;
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    let k = p.k;
    let m = p.m;
    for (let j = 0; j < s; j++) {
      if (ti >= p.changepointsT[j]!) {
        k += p.deltas[j]!;
        m += gammas[j]!;
      }
    }
    out[i] = capScaled[i]! / (1 + Math.exp(-k * (ti - m)));
  }
  return out;
}

/**
 * Flat trend: m everywhere.
 *
 * @example
 * flatTrend(Float64Array.of(0, 2), 0.3); // Float64Array [0.3, 0.3]
 */
export function flatTrend(t: Float64Array, m: number): Float64Array {
  return new Float64Array(t.length).fill(m);
}

/**
 * The trend of a growth type, in scaled units.
 *
 * @example
 * const p = { k: 0, m: 0.5, deltas: [0], changepointsT: [0] };
 * scaledTrend("flat", Float64Array.of(1), undefined, p); // Float64Array [0.5]
 */
export function scaledTrend(
  growth: Growth,
  t: Float64Array,
  capScaled: Float64Array | undefined,
  p: TrendParams,
): Float64Array {
  if (growth === "linear") return piecewiseLinear(t, p);
  if (growth === "flat") return flatTrend(t, p.m);
  if (!capScaled) throw new Error("logistic trend needs capacities");
  return piecewiseLogistic(t, capScaled, p);
}
