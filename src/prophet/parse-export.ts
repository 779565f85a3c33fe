/**
 * Turns the text of a Prophet export into a typed {@link ProphetModel}. Accepts the plain model
 * JSON and the double-encoded form (a JSON string whose content is the model JSON, as in
 * Prophet's own test files), and both version keys (`__prophet_version`, `__fbprophet_version`).
 * Every problem becomes a {@link ProphetExportError} that names the fields concerned.
 */
import { isRecord, pandasDates, parseSplitSeries, parseTableFrame } from "./pandas-json.ts";
import {
  parseAdditiveComponents,
  parseComponentColumns,
  parseHolidays,
  parseRegressors,
  parseSeasonalities,
  readMode,
} from "./parse-features.ts";
import { parseParams, REQUIRED_PARAMS } from "./parse-params.ts";
import type { Growth, ProphetModel } from "./prophet-model.ts";
import { ProphetExportError } from "./prophet-error.ts";

const REQUIRED_FIELDS = [
  "growth",
  "start",
  "t_scale",
  "y_scale",
  "changepoints_t",
  "params",
  "seasonalities",
  "extra_regressors",
  "seasonality_mode",
  "component_modes",
  "train_component_cols",
  "history",
  "history_dates",
  "interval_width",
  "uncertainty_samples",
] as const;

const GROWTHS: readonly string[] = ["linear", "logistic", "flat"];

/**
 * Parses and checks a Prophet export.
 *
 * @example
 * const model = parseProphetExport(await readFile("models/sales.json", "utf8"));
 * model.growth; // "linear"
 */
export function parseProphetExport(text: string): ProphetModel {
  const raw = decode(text);
  const missing: string[] = REQUIRED_FIELDS.filter((f) => raw[f] === undefined || raw[f] === null);
  const params = raw.params;
  if (isRecord(params)) {
    for (const p of REQUIRED_PARAMS) if (params[p] === undefined) missing.push(`params.${p}`);
  }
  if (raw.scaling === "minmax" && typeof raw.y_min !== "number") missing.push("y_min");
  if (missing.length > 0) {
    throw new ProphetExportError(
      `Prophet export is missing required fields: ${missing.join(", ")}`,
      missing,
    );
  }
  const growth = raw.growth;
  if (typeof growth !== "string" || !GROWTHS.includes(growth)) {
    const shown = typeof growth === "string" ? ` "${growth.slice(0, 40)}"` : "";
    throw new ProphetExportError(
      `Prophet export has an unknown growth${shown}: expected linear, logistic or flat`,
      ["growth"],
    );
  }
  if (raw.country_holidays !== null && raw.country_holidays !== undefined) {
    throw new ProphetExportError(
      "Prophet export uses country_holidays, whose dates come from Python's holidays package; " +
        "this loader cannot place them in the future. Refit with the holidays as a holidays table.",
      ["country_holidays"],
    );
  }

  const changepointsT = numberList(raw.changepoints_t, "changepoints_t");
  const mcmcSamples = nonNegativeInteger(raw.mcmc_samples ?? 0, "mcmc_samples");
  if (!isRecord(params)) throw invalid("params", "an object");
  const { params: fitted, draws } = parseParams(params, changepointsT.length, mcmcSamples);
  const seasonalityMode = readMode(raw.seasonality_mode, "seasonality_mode");
  const { holidays, trainHolidayNames } = parseHolidays(raw.holidays, raw.train_holiday_names);
  const historyDates = pandasDates(
    parseSplitSeries(raw.history_dates, "history_dates").data,
    "history_dates",
  ).sort((a, b) => a - b);
  if (historyDates.length === 0) throw invalid("history_dates", "a non-empty series of dates");

  return {
    version: readVersion(raw),
    growth: growth as Growth,
    seasonalityMode,
    holidaysMode:
      raw.holidays_mode === undefined || raw.holidays_mode === null
        ? seasonalityMode
        : readMode(raw.holidays_mode, "holidays_mode"),
    scaling: raw.scaling === "minmax" ? "minmax" : "absmax",
    yMin: raw.scaling === "minmax" ? finite(raw.y_min, "y_min") : 0,
    yScale: nonZero(raw.y_scale, "y_scale"),
    logisticFloor: raw.logistic_floor === true,
    startMs: finite(raw.start, "start") * 1000,
    // pandas.Timedelta(seconds=t_scale) holds whole nanoseconds.
    tScaleNs: Math.round(positive(raw.t_scale, "t_scale") * 1e9),
    changepointsT,
    params: fitted,
    draws,
    seasonalities: parseSeasonalities(raw.seasonalities),
    regressors: parseRegressors(raw.extra_regressors),
    holidays,
    trainHolidayNames,
    componentColumns: parseComponentColumns(raw.train_component_cols),
    additiveComponents: parseAdditiveComponents(raw.component_modes),
    historyDates,
    historyT: readHistoryT(raw.history),
    intervalWidth: intervalWidth(raw.interval_width),
    uncertaintySamples: uncertaintySamples(raw.uncertainty_samples),
    mcmcSamples,
  };
}

/** Both file forms: the model object, or a JSON string holding it. */
function decode(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === "string") value = JSON.parse(value);
  } catch (cause) {
    throw new ProphetExportError("Prophet export is not valid JSON", [], { cause });
  }
  if (!isRecord(value)) {
    throw new ProphetExportError(
      "Prophet export must be a JSON object (or a JSON string holding one)",
    );
  }
  return value;
}

function readVersion(raw: Record<string, unknown>): string {
  const v = raw.__prophet_version ?? raw.__fbprophet_version;
  return typeof v === "string" ? v : "unknown";
}

function readHistoryT(history: unknown): number[] {
  const frame = parseTableFrame(history, "history");
  return frame.rows.map((row, i) => finite(row.t, `history[${i}].t`));
}

function numberList(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(field, "a non-empty list");
  return value.map((v, i) => finite(v, `${field}[${i}]`));
}

function finite(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(field, "a number");
  return value;
}

function positive(value: unknown, field: string): number {
  const x = finite(value, field);
  if (x <= 0) throw invalid(field, "positive");
  return x;
}

function nonZero(value: unknown, field: string): number {
  const x = finite(value, field);
  if (x === 0) throw invalid(field, "non-zero");
  return x;
}

function nonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw invalid(field, "a non-negative integer");
  }
  return value;
}

function intervalWidth(value: unknown): number {
  const x = finite(value, "interval_width");
  if (x <= 0 || x >= 1) throw invalid("interval_width", "between 0 and 1");
  return x;
}

function uncertaintySamples(value: unknown): number {
  // Prophet accepts False (and 0) to turn the simulation off.
  if (value === false) return 0;
  return nonNegativeInteger(value, "uncertainty_samples");
}

function invalid(field: string, expected: string): ProphetExportError {
  return new ProphetExportError(`Prophet export field ${field} must be ${expected}`, [field]);
}
