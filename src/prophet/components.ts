/**
 * Seasonal components as Prophet's predict_seasonal_components computes them: for each column of
 * train_component_cols, X · (beta ∘ indicator), times y_scale when the component is additive
 * (multiplicative components stay fractions of the trend).
 */
import type { ProphetModel } from "./prophet-model.ts";

/**
 * X · coef for a row-major matrix, skipping zero coefficients (they add exact zeros).
 *
 * @example
 * multiply(Float64Array.of(1, 2, 3, 4), 2, Float64Array.of(1, 0)); // Float64Array [1, 3]
 */
export function multiply(matrix: Float64Array, width: number, coef: Float64Array): Float64Array {
  const rows = matrix.length / width;
  const out = new Float64Array(rows);
  const used: number[] = [];
  for (let j = 0; j < width; j++) if (coef[j] !== 0) used.push(j);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let sum = 0;
    for (const j of used) sum += matrix[base + j]! * coef[j]!;
    out[r] = sum;
  }
  return out;
}

/**
 * beta ∘ indicator of one component.
 *
 * @example
 * maskedBeta([0.5, 2], Float64Array.of(1, 0)); // Float64Array [0.5, 0]
 */
export function maskedBeta(
  beta: readonly number[] | Float64Array,
  indicator: Float64Array,
): Float64Array {
  return Float64Array.from(indicator, (on, j) => beta[j]! * on);
}

/**
 * Mean of the beta draws (the MAP fit's single draw is returned unchanged).
 *
 * @example
 * meanBeta([[1, 2], [3, 4]]); // Float64Array [2, 3]
 */
export function meanBeta(draws: readonly (readonly number[])[]): Float64Array {
  const width = draws[0]?.length ?? 0;
  const out = new Float64Array(width);
  for (const row of draws) for (let j = 0; j < width; j++) out[j]! += row[j]!;
  for (let j = 0; j < width; j++) out[j]! /= draws.length;
  return out;
}

/**
 * Every component of train_component_cols for the rows of X, in the export's column order.
 * `additive_terms` and `multiplicative_terms` are among them.
 *
 * @example
 * const comps = seasonalComponents(model, x, layout.width, meanBeta(model.params.beta));
 * comps.get("weekly");
 */
export function seasonalComponents(
  model: ProphetModel,
  matrix: Float64Array,
  width: number,
  beta: Float64Array,
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const { names, indicator } = model.componentColumns;
  names.forEach((name, c) => {
    const values = multiply(matrix, width, maskedBeta(beta, indicator[c]!));
    if (model.additiveComponents.has(name)) {
      for (let r = 0; r < values.length; r++) values[r]! *= model.yScale;
    }
    out.set(name, values);
  });
  return out;
}
