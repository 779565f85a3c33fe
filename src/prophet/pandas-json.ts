/**
 * Readers for the pandas JSON strings nested inside a Prophet export: Series written with
 * `to_json(orient="split")` and DataFrames written with `to_json(orient="table", index=False)`.
 * Each is parsed once, at load.
 */
import { parseNaiveDate } from "./dates.ts";
import { ProphetExportError } from "./prophet-error.ts";

/** A pandas Series: its name and values. */
export interface PandasSeries {
  name: string | null;
  data: unknown[];
}

/** A pandas DataFrame: column names (schema order, index columns left out) and row records. */
export interface PandasFrame {
  columns: string[];
  rows: Record<string, unknown>[];
}

/**
 * Parses a Series in pandas' "split" orient (`{"name", "index", "data"}`).
 *
 * @example
 * parseSplitSeries('{"name":"ds","index":[0],"data":["2020-01-01T00:00:00.000"]}', "history_dates");
 */
export function parseSplitSeries(text: unknown, field: string): PandasSeries {
  const value = parseNested(text, field);
  if (!isRecord(value) || !Array.isArray(value.data)) {
    throw malformed(field, 'a pandas Series in "split" orient');
  }
  return { name: typeof value.name === "string" ? value.name : null, data: value.data };
}

/**
 * Parses a DataFrame in pandas' "table" orient (`{"schema": {"fields"}, "data": [records]}`).
 * Fields named in `schema.primaryKey` are the index and are left out of `columns`.
 *
 * @example
 * parseTableFrame('{"schema":{"fields":[{"name":"y"}]},"data":[{"y":1}]}', "history").columns; // ["y"]
 */
export function parseTableFrame(text: unknown, field: string): PandasFrame {
  const value = parseNested(text, field);
  if (!isRecord(value) || !isRecord(value.schema) || !Array.isArray(value.data)) {
    throw malformed(field, 'a pandas DataFrame in "table" orient');
  }
  const fields = value.schema.fields;
  if (!Array.isArray(fields)) throw malformed(field, "a table schema with fields");
  const primaryKey = Array.isArray(value.schema.primaryKey) ? value.schema.primaryKey : [];
  const columns: string[] = [];
  for (const f of fields) {
    if (!isRecord(f) || typeof f.name !== "string") throw malformed(field, "named schema fields");
    if (!primaryKey.includes(f.name)) columns.push(f.name);
  }
  const rows: Record<string, unknown>[] = [];
  for (const row of value.data) {
    if (!isRecord(row)) throw malformed(field, "row records");
    rows.push(row);
  }
  return { columns, rows };
}

/**
 * Reads one pandas datetime value: an ISO string (with or without "Z") or epoch milliseconds.
 * Returns undefined for anything else (including null, pandas' NaT).
 *
 * @example
 * pandasDate("2020-10-01T00:00:00.000Z"); // 1601510400000
 */
export function pandasDate(value: unknown): number | undefined {
  if (typeof value === "string") return parseNaiveDate(value);
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

/**
 * Reads a column of datetimes, naming the field and row when one is not a date.
 *
 * @example
 * pandasDates(["2020-01-01T00:00:00.000"], "changepoints"); // [1577836800000]
 */
export function pandasDates(values: readonly unknown[], field: string): number[] {
  return values.map((v, i) => {
    const ms = pandasDate(v);
    if (ms === undefined) throw malformed(`${field}[${i}]`, "a date");
    return ms;
  });
}

/** Narrows to a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseNested(text: unknown, field: string): unknown {
  // Some writers store the nested value already decoded; accept both.
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProphetExportError(`Prophet export field ${field} is not valid JSON`, [field], {
      cause,
    });
  }
}

function malformed(field: string, expected: string): ProphetExportError {
  return new ProphetExportError(`Prophet export field ${field} is not ${expected}`, [field]);
}
