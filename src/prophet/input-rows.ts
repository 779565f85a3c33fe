/**
 * Checks forecast rows against what a model needs and turns them into columns, the way Prophet's
 * setup_dataframe does: rows sorted by ds, scaled time t, floor and scaled capacity, raw
 * regressor values and boolean conditions. Problems are 400s that name the row and column.
 */
import { BadRequestError } from "../errors/app-error.ts";
import { dayNumber, parseNaiveDate } from "./dates.ts";
import type { ProphetModel } from "./prophet-model.ts";
import { epochDays } from "./seasonality.ts";

/** One row to forecast: a date plus any columns the model needs (cap, floor, regressors...). */
export interface ForecastRowInput {
  ds: string | Date;
  [column: string]: unknown;
}

/** Rows ready for the feature and trend code, sorted by date. */
export interface PreparedRows {
  ms: Float64Array;
  /** Scaled time: 0 at the history start, 1 at its end. */
  t: Float64Array;
  /** Days since the epoch, for Fourier terms. */
  days: Float64Array;
  /** Calendar day numbers, for holidays. */
  dayNumbers: Float64Array;
  floor: Float64Array;
  /** (cap - floor) / y_scale, for logistic growth only. */
  capScaled: Float64Array | undefined;
  /** Raw value of each extra regressor. */
  regressors: Map<string, Float64Array>;
  /** 1/0 per row for each seasonality condition column. */
  conditions: Map<string, Uint8Array>;
}

/** The columns a model needs in every row besides ds. */
export function requiredColumns(model: ProphetModel): string[] {
  const columns: string[] = [];
  if (model.growth === "logistic") columns.push("cap");
  if (model.logisticFloor) columns.push("floor");
  for (const r of model.regressors) columns.push(r.name);
  for (const s of model.seasonalities) {
    if (s.conditionName !== null && !columns.includes(s.conditionName)) {
      columns.push(s.conditionName);
    }
  }
  return columns;
}

/**
 * Validates rows and prepares them for a forecast.
 *
 * @example
 * prepareRows(model, [{ ds: "2020-01-30" }]).t; // Float64Array [1.526...]
 */
export function prepareRows(model: ProphetModel, rows: readonly unknown[]): PreparedRows {
  if (rows.length === 0) throw new BadRequestError("rows must hold at least one row");
  const dated = rows.map((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new BadRequestError(`rows[${i}] must be an object`);
    }
    const record = row as Record<string, unknown>;
    return { row: record, index: i, ms: readDate(record, i) };
  });
  // Array.prototype.sort is stable: rows with the same ds keep their order.
  dated.sort((a, b) => a.ms - b.ms);
  const n = dated.length;
  const ms = Float64Array.from(dated, (d) => d.ms);
  const prepared: PreparedRows = {
    ms,
    t: ms.map((x) => ((x - model.startMs) * 1e6) / model.tScaleNs),
    days: ms.map(epochDays),
    dayNumbers: ms.map(dayNumber),
    floor: new Float64Array(n).fill(model.scaling === "minmax" ? model.yMin : 0),
    capScaled: undefined,
    regressors: new Map(),
    conditions: new Map(),
  };
  if (model.logisticFloor) {
    prepared.floor = Float64Array.from(dated, (d) =>
      readNumber(d.row, "floor", d.index, "this model was fit with a floor"),
    );
  }
  if (model.growth === "logistic") {
    prepared.capScaled = Float64Array.from(dated, (d, r) => {
      const cap = readNumber(d.row, "cap", d.index, "this model uses logistic growth");
      const floor = prepared.floor[r]!;
      if (!(cap > floor)) {
        throw new BadRequestError(
          `rows[${d.index}].cap must be greater than floor (${floor}) for logistic growth`,
        );
      }
      return (cap - floor) / model.yScale;
    });
  }
  for (const reg of model.regressors) {
    const why = `the model has the extra regressor "${reg.name}"`;
    prepared.regressors.set(
      reg.name,
      Float64Array.from(dated, (d) => readNumber(d.row, reg.name, d.index, why)),
    );
  }
  for (const s of model.seasonalities) {
    const name = s.conditionName;
    if (name === null || prepared.conditions.has(name)) continue;
    prepared.conditions.set(
      name,
      Uint8Array.from(dated, (d) => readCondition(d.row, name, d.index, s.name)),
    );
  }
  return prepared;
}

function readDate(row: Record<string, unknown>, i: number): number {
  const ds = Object.hasOwn(row, "ds") ? row.ds : undefined;
  if (ds === undefined || ds === null) throw new BadRequestError(`rows[${i}].ds is missing`);
  const ms =
    ds instanceof Date ? ds.getTime() : typeof ds === "string" ? parseNaiveDate(ds) : undefined;
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new BadRequestError(
      `rows[${i}].ds is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS ` +
        "(naive, or UTC with Z), years 1678 to 2261",
    );
  }
  return ms;
}

function readNumber(row: Record<string, unknown>, column: string, i: number, why: string): number {
  const value = Object.hasOwn(row, column) ? row[column] : undefined;
  if (value === undefined || value === null) {
    throw new BadRequestError(`rows[${i}].${column} is missing: ${why}`);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BadRequestError(`rows[${i}].${column} must be a finite number`);
  }
  return value;
}

function readCondition(
  row: Record<string, unknown>,
  column: string,
  i: number,
  seasonality: string,
): number {
  const value = Object.hasOwn(row, column) ? row[column] : undefined;
  if (value === undefined || value === null) {
    throw new BadRequestError(
      `rows[${i}].${column} is missing: the seasonality "${seasonality}" is conditional on it`,
    );
  }
  // Prophet's isin([True, False]) also lets 1 and 0 through.
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  throw new BadRequestError(`rows[${i}].${column} must be true or false`);
}
