/**
 * The seasonal feature matrix X of Prophet's make_all_seasonality_features: seasonality Fourier
 * columns (in the export's order), then holiday columns (sorted), then extra regressors, or a
 * single zero column when there is none of these. The layout is fixed per model and checked
 * against the export's beta and train_component_cols at load.
 */
import { fillHolidays, holidayColumns, type HolidayColumns } from "./holidays.ts";
import type { PreparedRows } from "./input-rows.ts";
import type { ProphetModel, Regressor, Seasonality } from "./prophet-model.ts";
import { ProphetExportError } from "./prophet-error.ts";
import { fillRegressor } from "./regressors.ts";
import { fillFourier } from "./seasonality.ts";

/** Column positions of every feature block. */
export interface FeatureLayout {
  width: number;
  seasonalities: { seasonality: Seasonality; column: number }[];
  holidays: { columns: HolidayColumns; column: number } | null;
  regressors: { regressor: Regressor; column: number }[];
}

/**
 * Lays out the feature columns of a model and checks the count against the export.
 *
 * @example
 * buildFeatureLayout(model).width; // 6 for weekly seasonality of order 3
 */
export function buildFeatureLayout(model: ProphetModel): FeatureLayout {
  let column = 0;
  const seasonalities = model.seasonalities.map((seasonality) => {
    const entry = { seasonality, column };
    column += 2 * seasonality.fourierOrder;
    return entry;
  });
  let holidays: FeatureLayout["holidays"] = null;
  if (model.holidays.length > 0) {
    holidays = { columns: holidayColumns(model.holidays), column };
    column += holidays.columns.keys.length;
  }
  const regressors = model.regressors.map((regressor) => ({ regressor, column: column++ }));
  // Prophet adds a "zeros" column so that X is never empty.
  const width = Math.max(column, 1);

  const betaWidth = model.params.beta[0]?.length ?? 0;
  const componentRows = model.componentColumns.indicator[0]?.length ?? 0;
  if (betaWidth !== width || componentRows !== width) {
    throw new ProphetExportError(
      `Prophet export unusable: its seasonalities, holidays and regressors make ${width} feature ` +
        `columns, but params.beta has ${betaWidth} and train_component_cols has ${componentRows} rows`,
      ["params.beta", "train_component_cols"],
    );
  }
  return { width, seasonalities, holidays, regressors };
}

/**
 * Builds X (row-major, rows × width) for prepared rows.
 *
 * @example
 * const x = featureMatrix(layout, prepareRows(model, rows));
 */
export function featureMatrix(layout: FeatureLayout, rows: PreparedRows): Float64Array {
  const { width } = layout;
  const matrix = new Float64Array(rows.ms.length * width);
  for (const { seasonality, column } of layout.seasonalities) {
    const condition =
      seasonality.conditionName === null
        ? undefined
        : rows.conditions.get(seasonality.conditionName);
    fillFourier(
      { matrix, width, column },
      rows.days,
      seasonality.period,
      seasonality.fourierOrder,
      condition,
    );
  }
  if (layout.holidays) {
    const target = { matrix, width, column: layout.holidays.column };
    fillHolidays(layout.holidays.columns, target, rows.dayNumbers);
  }
  for (const { regressor, column } of layout.regressors) {
    fillRegressor({ matrix, width, column }, rows.regressors.get(regressor.name)!, regressor);
  }
  return matrix;
}
