/**
 * yhat_lower / yhat_upper by simulation, following Prophet's predict_uncertainty with its default
 * vectorised sampler: for each parameter draw, `ceil(uncertainty_samples / draws)` paths of
 * (expected trend + simulated future trend changes) · y_scale + floor, seasonal terms of that
 * draw, plus Normal(0, sigma_obs) · y_scale noise; the bounds are the percentiles at
 * (1 ± interval_width) / 2. Seeded, so a result is repeatable; statistically (not bitwise) equal
 * to Prophet's, whose draws come from numpy's generator.
 */
import { maskedBeta, multiply } from "./components.ts";
import type { FeatureLayout } from "./feature-matrix.ts";
import type { PreparedRows } from "./input-rows.ts";
import { percentileInPlace } from "./percentile.ts";
import type { Growth, ProphetModel } from "./prophet-model.ts";
import { createRandom, type RandomSource } from "./random.ts";
import { scaledTrend, type TrendParams } from "./trend.ts";
import {
  linearDeviation,
  logisticHistory,
  logisticPath,
  trendShifts,
  type ShiftSettings,
} from "./trend-uncertainty.ts";

/** Lower and upper bound of yhat per row. */
export interface Bounds {
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Simulated values held at once (rows × samples, 8 bytes each): 20 million is 160 MB, twice what
 * the default limits (10000 rows, 1000 samples) need.
 */
export const MAX_SIMULATED_VALUES = 20_000_000;

/**
 * Number of simulated values a forecast of `rows` rows needs: Prophet draws
 * ceil(samples / draws) paths per parameter draw.
 *
 * @example
 * simulatedValues(365, 1000, 1); // 365000
 */
export function simulatedValues(rows: number, samples: number, draws: number): number {
  return rows * Math.max(1, Math.ceil(samples / draws)) * draws;
}

/**
 * Simulates `samples` forecasts and returns the interval bounds per row.
 *
 * @example
 * const { lower, upper } = simulateBounds(model, layout, rows, x, { samples: 1000, seed: 0 });
 */
export function simulateBounds(
  model: ProphetModel,
  layout: FeatureLayout,
  rows: PreparedRows,
  matrix: Float64Array,
  options: { samples: number; seed: number },
): Bounds {
  const n = rows.t.length;
  const perDraw = Math.max(1, Math.ceil(options.samples / model.draws));
  const total = perDraw * model.draws;
  // Memory: n * total doubles; callers check simulatedValues() against MAX_SIMULATED_VALUES.
  const sims = new Float64Array(n * total); // sims[row * total + sample]
  const rng = createRandom(options.seed);
  const names = model.componentColumns.names;
  const additive = model.componentColumns.indicator[names.indexOf("additive_terms")]!;
  const multiplicative = model.componentColumns.indicator[names.indexOf("multiplicative_terms")]!;

  // Rows are sorted by ds, so the future (t > 1) is a suffix.
  let first = 0;
  while (first < n && !(rows.t[first]! > 1)) first++;
  const future = n - first;
  const singleDiff = future > 1 ? meanStep(rows.t.subarray(first)) : meanStep(model.historyT);
  const deviation = new Float64Array(perDraw * future);

  for (let d = 0; d < model.draws; d++) {
    const trendParams: TrendParams = {
      k: model.params.k[d]!,
      m: model.params.m[d]!,
      deltas: model.params.delta[d]!,
      changepointsT: model.changepointsT,
    };
    const beta = model.params.beta[d]!;
    const xbA = multiply(matrix, layout.width, maskedBeta(beta, additive));
    const xbM = multiply(matrix, layout.width, maskedBeta(beta, multiplicative));
    const expected = scaledTrend(model.growth, rows.t, rows.capScaled, trendParams);
    const sigma = model.params.sigmaObs[d]!;
    const settings: ShiftSettings = {
      likelihood: model.changepointsT.length * singleDiff,
      meanDelta: meanAbs(trendParams.deltas) + 1e-8,
      singleDiff,
    };
    if (future > 0) {
      simulateDeviations(rng, model.growth, rows, first, settings, trendParams, perDraw, deviation);
    }

    for (let s = 0; s < perDraw; s++) {
      const column = d * perDraw + s;
      for (let r = 0; r < n; r++) {
        const dev = r < first ? 0 : deviation[s * future + (r - first)]!;
        const trend = (expected[r]! + dev) * model.yScale + rows.floor[r]!;
        const noise = rng.normal(sigma) * model.yScale;
        sims[r * total + column] = trend * (1 + xbM[r]!) + xbA[r]! * model.yScale + noise;
      }
    }
  }

  const lowerP = (100 * (1 - model.intervalWidth)) / 2;
  const upperP = (100 * (1 + model.intervalWidth)) / 2;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    lower[r] = percentileInPlace(sims, r * total, total, lowerP);
    upper[r] = percentileInPlace(sims, r * total, total, upperP);
  }
  return { lower, upper };
}

/**
 * Fills `out` (count paths × future rows) with simulated trend deviations of one draw. A future
 * without a usable spacing (all rows on one date) gets none; Prophet would fail there.
 */
function simulateDeviations(
  rng: RandomSource,
  growth: Growth,
  rows: PreparedRows,
  first: number,
  settings: ShiftSettings,
  params: TrendParams,
  count: number,
  out: Float64Array,
): void {
  const future = rows.t.length - first;
  out.fill(0);
  if (growth === "flat" || !(settings.singleDiff > 0) || !Number.isFinite(settings.singleDiff)) {
    return;
  }
  const scratch = new Float64Array(future);
  if (growth === "linear") {
    for (let s = 0; s < count; s++) {
      linearDeviation(rng, settings, scratch, out.subarray(s * future, (s + 1) * future));
    }
    return;
  }
  const tFuture = rows.t.subarray(first);
  const capFuture = rows.capScaled!.subarray(first);
  const history = logisticHistory(params, settings.singleDiff);
  for (let s = 0; s < count; s++) {
    trendShifts(rng, settings, scratch);
    logisticPath(history, scratch, tFuture, capFuture, out.subarray(s * future, (s + 1) * future));
  }
  centre(out, count, future);
}

/** Subtracts each column's mean over the paths (Prophet centres logistic paths per draw). */
function centre(paths: Float64Array, count: number, width: number): void {
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (let s = 0; s < count; s++) sum += paths[s * width + j]!;
    const mean = sum / count;
    for (let s = 0; s < count; s++) paths[s * width + j]! -= mean;
  }
}

/** np.diff(t).mean(); NaN for fewer than two values, as numpy gives. */
function meanStep(t: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 1; i < t.length; i++) sum += t[i]! - t[i - 1]!;
  return sum / (t.length - 1);
}

function meanAbs(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += Math.abs(v);
  return sum / values.length;
}
