/**
 * Extra regressors enter the feature matrix standardised with the mean and standard deviation
 * Prophet stored at fit time (mu 0 and std 1 for a regressor that was not standardised).
 */
import type { Regressor } from "./prophet-model.ts";

/**
 * Writes one regressor column: `(x - mu) / std`, as Prophet's setup_dataframe does.
 *
 * @example
 * const matrix = new Float64Array(1);
 * const promo = { name: "promo", mu: 10, std: 4, mode: "additive" } as const;
 * fillRegressor({ matrix, width: 1, column: 0 }, Float64Array.of(12), promo);
 * matrix[0]; // 0.5
 */
export function fillRegressor(
  target: { matrix: Float64Array; width: number; column: number },
  values: Float64Array,
  regressor: Regressor,
): void {
  const { matrix, width, column } = target;
  for (let r = 0; r < values.length; r++) {
    matrix[r * width + column] = (values[r]! - regressor.mu) / regressor.std;
  }
}
