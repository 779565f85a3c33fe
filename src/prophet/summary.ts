/**
 * The registry's view of a Prophet model: what it is and what a forecast request must carry.
 */
import { formatNaiveDate } from "./dates.ts";
import { requiredColumns } from "./input-rows.ts";
import type { ComponentMode, Growth, ProphetModel } from "./prophet-model.ts";

/** Summary of a loaded Prophet export, in snake_case like the HTTP API. */
export interface ProphetSummary {
  prophet_version: string;
  growth: Growth;
  seasonality_mode: ComponentMode;
  seasonalities: {
    name: string;
    period: number;
    fourier_order: number;
    mode: ComponentMode;
    condition_name: string | null;
  }[];
  regressors: { name: string; mode: ComponentMode; mu: number; std: number }[];
  holidays: string[];
  interval_width: number;
  uncertainty_samples: number;
  /** Parameter draws: 1 for a MAP fit, more for MCMC. */
  parameter_draws: number;
  /** Columns every forecast row needs besides ds. */
  required_columns: string[];
  history: { start: string; end: string; dates: number };
}

/**
 * Builds the summary of a model.
 *
 * @example
 * summarize(model).seasonalities[0];
 * // { name: "weekly", period: 7, fourier_order: 3, mode: "additive", condition_name: null }
 */
export function summarize(model: ProphetModel): ProphetSummary {
  const dates = model.historyDates;
  return {
    prophet_version: model.version,
    growth: model.growth,
    seasonality_mode: model.seasonalityMode,
    seasonalities: model.seasonalities.map((s) => ({
      name: s.name,
      period: s.period,
      fourier_order: s.fourierOrder,
      mode: s.mode,
      condition_name: s.conditionName,
    })),
    regressors: model.regressors.map((r) => ({ name: r.name, mode: r.mode, mu: r.mu, std: r.std })),
    holidays: model.trainHolidayNames ?? [...new Set(model.holidays.map((h) => h.holiday))],
    interval_width: model.intervalWidth,
    uncertainty_samples: model.uncertaintySamples,
    parameter_draws: model.draws,
    required_columns: requiredColumns(model),
    history: {
      start: formatNaiveDate(dates[0]!),
      end: formatNaiveDate(dates[dates.length - 1]!),
      dates: dates.length,
    },
  };
}
