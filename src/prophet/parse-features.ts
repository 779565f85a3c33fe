/**
 * Reads the parts of a Prophet export that describe the feature columns: seasonalities, extra
 * regressors, holidays and `train_component_cols`. Each reader names the field it rejects.
 */
import { dayNumber } from "./dates.ts";
import { isRecord, pandasDate, parseSplitSeries, parseTableFrame } from "./pandas-json.ts";
import type {
  ComponentColumns,
  ComponentMode,
  HolidayOccurrence,
  Regressor,
  Seasonality,
} from "./prophet-model.ts";
import { ProphetExportError } from "./prophet-error.ts";

/** Largest holiday window accepted, in days on either side (ten years). */
const MAX_WINDOW = 3660;

/**
 * Reads `seasonalities` (`[names, {name: {period, fourier_order, mode, condition_name}}]`).
 *
 * @example
 * parseSeasonalities([["weekly"], { weekly: { period: 7, fourier_order: 3, mode: "additive" } }]);
 */
export function parseSeasonalities(value: unknown): Seasonality[] {
  return orderedEntries(value, "seasonalities").map(([name, props]) => {
    const field = `seasonalities.${name}`;
    const period = props.period;
    const order = props.fourier_order;
    if (typeof period !== "number" || !(period > 0) || !Number.isFinite(period)) {
      throw invalid(`${field}.period`, "a positive number of days");
    }
    if (typeof order !== "number" || !Number.isInteger(order) || order < 1) {
      throw invalid(`${field}.fourier_order`, "a positive integer");
    }
    const condition = props.condition_name ?? null;
    if (condition !== null && typeof condition !== "string") {
      throw invalid(`${field}.condition_name`, "a column name or null");
    }
    return {
      name,
      period,
      fourierOrder: order,
      mode: readMode(props.mode, `${field}.mode`),
      conditionName: condition,
    };
  });
}

/**
 * Reads `extra_regressors` (`[names, {name: {mu, std, mode, ...}}]`).
 *
 * @example
 * parseRegressors([["promo"], { promo: { mu: 0, std: 1, mode: "additive" } }]);
 */
export function parseRegressors(value: unknown): Regressor[] {
  return orderedEntries(value, "extra_regressors").map(([name, props]) => {
    const field = `extra_regressors.${name}`;
    const { mu, std } = props;
    if (typeof mu !== "number" || !Number.isFinite(mu)) throw invalid(`${field}.mu`, "a number");
    if (typeof std !== "number" || !Number.isFinite(std) || std === 0) {
      throw invalid(`${field}.std`, "a non-zero number");
    }
    return { name, mu, std, mode: readMode(props.mode, `${field}.mode`) };
  });
}

/**
 * Reads the holidays table and `train_holiday_names` the way Prophet's
 * construct_holiday_dataframe combines them: rows of holidays not seen in training are dropped,
 * and a training holiday without rows is kept with no date (its "+0" column stays zero).
 *
 * @example
 * parseHolidays(null, null); // { holidays: [], trainHolidayNames: null }
 */
export function parseHolidays(
  holidaysJson: unknown,
  trainNamesJson: unknown,
): { holidays: HolidayOccurrence[]; trainHolidayNames: string[] | null } {
  let trainNames: string[] | null = null;
  if (trainNamesJson !== null && trainNamesJson !== undefined) {
    const series = parseSplitSeries(trainNamesJson, "train_holiday_names");
    trainNames = series.data.map((name, i) => {
      if (typeof name !== "string") throw invalid(`train_holiday_names[${i}]`, "a name");
      return name;
    });
  }
  let holidays: HolidayOccurrence[] = [];
  if (holidaysJson !== null && holidaysJson !== undefined) {
    holidays = parseTableFrame(holidaysJson, "holidays").rows.map((row, i) => {
      const date = pandasDate(row.ds);
      if (typeof row.holiday !== "string") throw invalid(`holidays[${i}].holiday`, "a name");
      if (date === undefined) throw invalid(`holidays[${i}].ds`, "a date");
      // A missing column means 0; a null cell is pandas' NaN, and Prophet's int(NaN) fails
      // into its fallback that sets both windows to 0.
      const lw = Object.hasOwn(row, "lower_window") ? row.lower_window : 0;
      const uw = Object.hasOwn(row, "upper_window") ? row.upper_window : 0;
      const usable =
        typeof lw === "number" && typeof uw === "number" && Number.isFinite(lw + uw);
      const lowerWindow = usable ? Math.trunc(lw) : 0;
      const upperWindow = usable ? Math.trunc(uw) : 0;
      // Prophet requires lower <= 0 <= upper; the bound keeps a broken file from making
      // millions of columns.
      if (lowerWindow > 0 || lowerWindow < -MAX_WINDOW) {
        throw invalid(`holidays[${i}].lower_window`, `between -${MAX_WINDOW} and 0`);
      }
      if (upperWindow < 0 || upperWindow > MAX_WINDOW) {
        throw invalid(`holidays[${i}].upper_window`, `between 0 and ${MAX_WINDOW}`);
      }
      return { holiday: row.holiday, date: dayNumber(date), lowerWindow, upperWindow };
    });
  }
  if (trainNames === null) return { holidays, trainHolidayNames: null };
  const known = new Set(trainNames);
  const kept = holidays.filter((h) => known.has(h.holiday));
  const present = new Set(kept.map((h) => h.holiday));
  for (const name of trainNames) {
    if (!present.has(name)) {
      kept.push({ holiday: name, date: null, lowerWindow: 0, upperWindow: 0 });
      present.add(name);
    }
  }
  return { holidays: kept, trainHolidayNames: trainNames };
}

/**
 * Reads `train_component_cols`: one row per feature column, one 0/1 column per component.
 *
 * @example
 * parseComponentColumns(model.train_component_cols).names;
 * // ["additive_terms", "weekly", "multiplicative_terms"]
 */
export function parseComponentColumns(value: unknown): ComponentColumns {
  const frame = parseTableFrame(value, "train_component_cols");
  for (const required of ["additive_terms", "multiplicative_terms"]) {
    if (!frame.columns.includes(required)) {
      throw invalid("train_component_cols", `a table with a column ${required}`);
    }
  }
  const indicator = frame.columns.map((name) =>
    Float64Array.from(frame.rows, (row, j) => {
      const v = row[name];
      if (v === 1 || v === true) return 1;
      if (v === 0 || v === false || v === undefined || v === null) return 0;
      throw invalid(`train_component_cols[${j}].${name}`, "0 or 1");
    }),
  );
  return { names: frame.columns, indicator };
}

/**
 * Reads `component_modes` and returns the components that are in data units.
 *
 * @example
 * parseAdditiveComponents({ additive: ["weekly"], multiplicative: [] }).has("weekly"); // true
 */
export function parseAdditiveComponents(value: unknown): Set<string> {
  if (!isRecord(value) || !Array.isArray(value.additive)) {
    throw invalid("component_modes", "an object with an additive list");
  }
  return new Set(value.additive.filter((v): v is string => typeof v === "string"));
}

/** Reads a mode, naming the field when it is neither additive nor multiplicative. */
export function readMode(value: unknown, field: string): ComponentMode {
  if (value === "additive" || value === "multiplicative") return value;
  throw invalid(field, '"additive" or "multiplicative"');
}

/** Prophet writes OrderedDicts as `[keys, {key: props}]`. */
function orderedEntries(value: unknown, field: string): [string, Record<string, unknown>][] {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(field, "[names, properties]");
  const [names, props] = value as [unknown, unknown];
  if (!Array.isArray(names) || !isRecord(props)) throw invalid(field, "[names, properties]");
  return names.map((name) => {
    const entry = typeof name === "string" && Object.hasOwn(props, name) ? props[name] : undefined;
    if (typeof name !== "string" || !isRecord(entry)) {
      throw invalid(field, "a list of names that each have properties");
    }
    return [name, entry];
  });
}

function invalid(field: string, expected: string): ProphetExportError {
  return new ProphetExportError(`Prophet export field ${field} must be ${expected}`, [field]);
}
