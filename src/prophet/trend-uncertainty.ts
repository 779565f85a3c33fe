/**
 * Simulated future trend changes, as Prophet's vectorised sampler (_sample_uncertainty) draws
 * them: at each future step a rate change happens with probability S · Δt (S changepoints in the
 * history, Δt the mean step), its size Laplace(0, mean |delta|); linear paths integrate the rate
 * changes twice, logistic paths rerun the logistic curve through them and are centred on their
 * mean. Values are in scaled units, for the future rows only.
 */
import type { RandomSource } from "./random.ts";

/** What the simulation of one parameter draw needs. */
export interface ShiftSettings {
  /** Probability of a rate change per future step. */
  likelihood: number;
  /** Laplace scale of a rate change: mean |delta| + 1e-8. */
  meanDelta: number;
  /** Mean spacing of the future rows in scaled time. */
  singleDiff: number;
}

/**
 * One row of Prophet's _make_trend_shift_matrix: Laplace rate changes where a uniform draw falls
 * below the likelihood, each averaged with its predecessor. Writes into `out`.
 *
 * @example
 * trendShifts(rng, { likelihood: 0.1, meanDelta: 0.05, singleDiff: 0.01 }, new Float64Array(30));
 */
export function trendShifts(rng: RandomSource, s: ShiftSettings, out: Float64Array): Float64Array {
  let previous = 0;
  for (let j = 0; j < out.length; j++) {
    // Only the changes that happen need a Laplace draw; the distribution is the same.
    const shift = rng.uniform() < s.likelihood ? rng.laplace(s.meanDelta) : 0;
    out[j] = (previous + shift) / 2;
    previous = shift;
  }
  return out;
}

/**
 * Linear trend deviation of one path: cumsum(cumsum(shifts)) · singleDiff. Writes into `out`.
 *
 * @example
 * linearDeviation(rng, settings, new Float64Array(30), new Float64Array(30));
 */
export function linearDeviation(
  rng: RandomSource,
  s: ShiftSettings,
  scratch: Float64Array,
  out: Float64Array,
): Float64Array {
  trendShifts(rng, s, scratch);
  let rate = 0;
  let level = 0;
  for (let j = 0; j < out.length; j++) {
    rate += scratch[j]!;
    level += rate;
    out[j] = level * s.singleDiff;
  }
  return out;
}

/** The historical part of a logistic path, shared by every sample of one parameter draw. */
export interface LogisticHistory {
  k: number;
  m: number;
  /** Running sum of rate changes, last non-zero cumulative rate, running sum of gammas. */
  rateSum: number;
  lastRate: number;
  gammaSum: number;
}

/**
 * Walks Prophet's _make_historical_mat_time grid (0, Δt, 2Δt, ... past 1, with each fitted delta
 * at the first grid time after its changepoint) and returns the state the future starts from.
 *
 * @example
 * logisticHistory({ k: 2, m: 0, deltas: [1], changepointsT: [0.5] }, 0.1);
 */
export function logisticHistory(
  p: { k: number; m: number; deltas: readonly number[]; changepointsT: readonly number[] },
  singleDiff: number,
): LogisticHistory {
  const length = Math.ceil((1 + singleDiff) / singleDiff);
  const deltas = new Float64Array(length);
  p.changepointsT.forEach((cp, i) => {
    // Prophet raises when no grid time is after a changepoint; such a delta is left out here.
    const index = Math.floor(cp / singleDiff) + 1;
    for (let at = Math.max(0, index - 1); at < length; at++) {
      if (at * singleDiff > cp) {
        deltas[at] = p.deltas[i]!;
        break;
      }
    }
  });
  const state: LogisticHistory = { k: p.k, m: p.m, rateSum: 0, lastRate: p.k, gammaSum: 0 };
  for (let j = 0; j < length; j++) logisticStep(state, deltas[j]!, j * singleDiff);
  return state;
}

/**
 * Logistic trend of one path on the future rows, from the shared history state. Writes into
 * `out`; the caller centres the paths of a draw on their mean.
 *
 * @example
 * logisticPath(history, shifts, tFuture, capFuture, new Float64Array(tFuture.length));
 */
export function logisticPath(
  history: LogisticHistory,
  shifts: Float64Array,
  t: Float64Array,
  capScaled: Float64Array,
  out: Float64Array,
): Float64Array {
  const state = { ...history };
  for (let j = 0; j < shifts.length; j++) {
    logisticStep(state, shifts[j]!, t[j]!);
    const rate = state.rateSum + state.k;
    const offset = state.gammaSum + state.m;
    out[j] = capScaled[j]! / (1 + Math.exp(-rate * (t[j]! - offset)));
  }
  return out;
}

/** One column of Prophet's gamma recursion (k_cum forward-filled over steps without change). */
function logisticStep(state: LogisticHistory, shift: number, time: number): void {
  state.rateSum += shift;
  const candidate = shift !== 0 ? state.rateSum + state.k : 0;
  const nextRate = candidate !== 0 ? candidate : state.lastRate;
  const gamma = (time - state.m - state.gammaSum) * (1 - state.lastRate / nextRate);
  state.gammaSum += gamma;
  state.lastRate = nextRate;
}
