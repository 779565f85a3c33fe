/**
 * The parsed, typed form of a Prophet export (`prophet.serialize.model_to_json`). Everything a
 * forecast needs is read, checked and converted once at load; the nested pandas JSON strings are
 * gone. Times are milliseconds since the epoch (naive, read as UTC).
 */

/** Prophet's three trend shapes. */
export type Growth = "linear" | "logistic" | "flat";

/** How a component enters yhat: added, or as a fraction of the trend. */
export type ComponentMode = "additive" | "multiplicative";

/** One seasonality as the export holds it (`seasonalities`). */
export interface Seasonality {
  name: string;
  /** Period in days. */
  period: number;
  fourierOrder: number;
  mode: ComponentMode;
  /** Boolean column that switches the seasonality on per row, or null. */
  conditionName: string | null;
}

/** One extra regressor (`extra_regressors`), standardised with the export's mu and std. */
export interface Regressor {
  name: string;
  mu: number;
  std: number;
  mode: ComponentMode;
}

/** One row of the export's holidays table. `date` is a day number (days since 1970-01-01). */
export interface HolidayOccurrence {
  holiday: string;
  /** Null for a training holiday that has no dated row (Prophet adds it with ds = NaT). */
  date: number | null;
  lowerWindow: number;
  upperWindow: number;
}

/**
 * Fitted parameters. Each is a list of draws: one draw for a MAP fit, several for MCMC.
 * `delta[d]` has one entry per changepoint, `beta[d]` one per feature column.
 */
export interface ProphetParams {
  k: number[];
  m: number[];
  delta: number[][];
  beta: number[][];
  sigmaObs: number[];
}

/** Which feature columns feed which component (`train_component_cols`). */
export interface ComponentColumns {
  /** Component names, in the export's column order. */
  names: string[];
  /** `indicator[c][j]` is 1 when feature column j belongs to component c. */
  indicator: Float64Array[];
}

/** A Prophet model, ready to forecast. */
export interface ProphetModel {
  /** Prophet version that wrote the export, or "unknown". */
  version: string;
  growth: Growth;
  seasonalityMode: ComponentMode;
  holidaysMode: ComponentMode;
  /** "absmax" (floor 0) or "minmax" (floor = y_min) when the model has no floor column. */
  scaling: "absmax" | "minmax";
  yMin: number;
  yScale: number;
  logisticFloor: boolean;
  /** History start, in ms. */
  startMs: number;
  /** Time scale in nanoseconds, as pandas' Timedelta holds it. */
  tScaleNs: number;
  changepointsT: number[];
  params: ProphetParams;
  /** Number of draws in `params` (1 for MAP). */
  draws: number;
  seasonalities: Seasonality[];
  regressors: Regressor[];
  holidays: HolidayOccurrence[];
  /** Holiday names seen in training (`train_holiday_names`), or null without holidays. */
  trainHolidayNames: string[] | null;
  componentColumns: ComponentColumns;
  /** Components that are in data units (multiplied by y_scale): `component_modes.additive`. */
  additiveComponents: ReadonlySet<string>;
  /** History dates (ms), sorted; the future starts after the last one. */
  historyDates: number[];
  /** The history's scaled time `t`, as exported (used when a forecast has a single future row). */
  historyT: number[];
  intervalWidth: number;
  uncertaintySamples: number;
  mcmcSamples: number;
}
