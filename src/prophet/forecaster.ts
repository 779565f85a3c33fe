/**
 * A loaded Prophet model that forecasts in pure TypeScript. Point forecasts follow Prophet's
 * predict exactly: trend · (1 + multiplicative_terms) + additive_terms, with every component of
 * the export; bounds come from {@link simulateBounds}.
 */
import { BadRequestError, UnavailableError } from "../errors/app-error.ts";
import { seasonalComponents, meanBeta } from "./components.ts";
import { formatNaiveDate } from "./dates.ts";
import { buildFeatureLayout, featureMatrix, type FeatureLayout } from "./feature-matrix.ts";
import { futureDates, parseFrequency } from "./future-dates.ts";
import { prepareRows, requiredColumns, type ForecastRowInput } from "./input-rows.ts";
import type { ProphetModel } from "./prophet-model.ts";
import { summarize, type ProphetSummary } from "./summary.ts";
import { scaledTrend } from "./trend.ts";
import { MAX_SIMULATED_VALUES, simulateBounds, simulatedValues } from "./uncertainty.ts";

/** One forecast row: date, yhat with bounds, trend, then every component of the export. */
export type ForecastPoint = {
  ds: string;
  yhat: number;
  yhat_lower: number;
  yhat_upper: number;
  trend: number;
} & Record<string, string | number>;

/** Options of {@link ProphetForecaster.predict}. */
export interface PredictOptions {
  /** Seed of the uncertainty simulation. Same seed and rows, same bounds. Default 0. */
  seed?: number;
  /**
   * Number of simulated paths; defaults to the export's uncertainty_samples. 0 skips the
   * simulation: yhat_lower and yhat_upper then equal yhat.
   */
  uncertaintySamples?: number;
}

/**
 * Forecaster over a parsed Prophet export.
 *
 * @example
 * const forecaster = new ProphetForecaster(parseProphetExport(text));
 * const rows = forecaster.makeFutureDates(30, "D", false).map((ds) => ({ ds }));
 * forecaster.predict(rows)[0]; // { ds: "2020-01-21", yhat, yhat_lower, yhat_upper, trend, weekly, ... }
 */
export class ProphetForecaster {
  #model: ProphetModel | undefined;
  readonly #layout: FeatureLayout;
  readonly #beta: Float64Array;
  readonly #trendParams: { k: number; m: number; deltas: number[]; changepointsT: number[] };

  /** Checks the model's feature layout; throws ProphetExportError when it does not fit. */
  constructor(model: ProphetModel) {
    this.#model = model;
    this.#layout = buildFeatureLayout(model);
    this.#beta = meanBeta(model.params.beta);
    // Prophet's predict_trend uses the mean of each parameter over the draws.
    const { k, m, delta } = model.params;
    this.#trendParams = {
      k: mean(k),
      m: mean(m),
      deltas: model.changepointsT.map((_, j) => mean(delta.map((row) => row[j]!))),
      changepointsT: model.changepointsT,
    };
  }

  /** The parsed model (throws once disposed). */
  get model(): ProphetModel {
    if (!this.#model) throw new UnavailableError("This Prophet forecaster has been disposed");
    return this.#model;
  }

  /** Columns every row must carry besides ds (cap, floor, regressors, conditions). */
  get requiredColumns(): string[] {
    return requiredColumns(this.model);
  }

  /**
   * Forecasts the given rows. Rows are sorted by ds, as Prophet sorts them. Bad rows throw a
   * BadRequestError naming the row and column.
   */
  predict(
    rows: readonly ForecastRowInput[] | readonly unknown[],
    options: PredictOptions = {},
  ): ForecastPoint[] {
    const model = this.model;
    const prepared = prepareRows(model, rows);
    const x = featureMatrix(this.#layout, prepared);
    const scaled = scaledTrend(model.growth, prepared.t, prepared.capScaled, this.#trendParams);
    const trend = scaled.map((v, r) => v * model.yScale + prepared.floor[r]!);
    const components = seasonalComponents(model, x, this.#layout.width, this.#beta);
    const additive = components.get("additive_terms")!;
    const multiplicative = components.get("multiplicative_terms")!;
    const yhat = trend.map((tr, r) => tr * (1 + multiplicative[r]!) + additive[r]!);

    const samples = options.uncertaintySamples ?? model.uncertaintySamples;
    if (!Number.isInteger(samples) || samples < 0) {
      throw new BadRequestError("uncertaintySamples must be a non-negative integer");
    }
    const n = prepared.t.length;
    if (samples > 0 && simulatedValues(n, samples, model.draws) > MAX_SIMULATED_VALUES) {
      throw new BadRequestError(
        `${n} rows with ${samples} uncertainty samples is more than this ` +
          "service simulates at once; ask for fewer rows",
      );
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw new BadRequestError("seed must be an integer");
    const bounds =
      samples > 0
        ? simulateBounds(model, this.#layout, prepared, x, { samples, seed })
        : { lower: yhat, upper: yhat };

    return Array.from(prepared.ms, (ms, r) => {
      const entries: [string, string | number][] = [
        ["ds", formatNaiveDate(ms)],
        ["yhat", yhat[r]!],
        ["yhat_lower", bounds.lower[r]!],
        ["yhat_upper", bounds.upper[r]!],
        ["trend", trend[r]!],
      ];
      for (const [name, values] of components) entries.push([name, values[r]!]);
      // fromEntries defines own properties, so no component name can reach a prototype.
      return Object.fromEntries(entries) as ForecastPoint;
    });
  }

  /**
   * Dates to forecast, like Prophet's make_future_dataframe: `periods` dates of `freq` after the
   * last history date, preceded by the history dates when `includeHistory`.
   *
   * @example
   * forecaster.makeFutureDates(3, "D", false); // ["2020-01-21", "2020-01-22", "2020-01-23"]
   */
  makeFutureDates(periods: number, freq = "D", includeHistory = true): string[] {
    const model = this.model;
    if (!Number.isInteger(periods) || periods < 0) {
      throw new BadRequestError("periods must be a non-negative integer");
    }
    const last = model.historyDates[model.historyDates.length - 1]!;
    const future = futureDates(last, periods, parseFrequency(freq));
    const dates = includeHistory ? [...model.historyDates, ...future] : future;
    return dates.map(formatNaiveDate);
  }

  /** What the registry shows: version, growth, seasonalities, regressors, holidays, history. */
  summary(): ProphetSummary {
    return summarize(this.model);
  }

  /** Drops the model; later calls throw. */
  dispose(): void {
    this.#model = undefined;
  }
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
