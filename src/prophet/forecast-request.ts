/**
 * The HTTP side of a forecast: checks the body of `POST /api/v1/models/{name}/forecast` and runs
 * it. A body is either `{ "periods": 30, "freq": "D", "include_history": false }` (dates made like
 * Prophet's make_future_dataframe; freq defaults to "D", include_history to false) or
 * `{ "rows": [{ "ds": "2021-01-01", "cap": 10, "<regressor>": 1.5 }] }`; both may carry an integer
 * `seed` for the uncertainty simulation. Every problem is a 400 that names it.
 */
import { BadRequestError } from "../errors/app-error.ts";
import type { ForecastPoint, ProphetForecaster } from "./forecaster.ts";

/** Limits of a forecast request. */
export interface ForecastRequestOptions {
  /** Largest `periods`, and largest number of `rows`. Default 10000. */
  maxPeriods?: number;
}

/** A checked request: the rows to forecast and the seed. */
export interface ForecastRequest {
  rows: Record<string, unknown>[];
  seed: number | undefined;
}

/** The response body of the forecast route. */
export interface ForecastResponse {
  model: string;
  version: string;
  forecast: ForecastPoint[];
}

const PERIOD_FIELDS = ["periods", "freq", "include_history"];
const KNOWN_FIELDS = new Set([...PERIOD_FIELDS, "rows", "seed"]);

/**
 * Checks a request body against a forecaster and returns the rows to forecast.
 *
 * @example
 * parseForecastRequest({ periods: 30 }, forecaster).rows.length; // 30
 */
export function parseForecastRequest(
  body: unknown,
  forecaster: ProphetForecaster,
  options: ForecastRequestOptions = {},
): ForecastRequest {
  const maxPeriods = options.maxPeriods ?? 10_000;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError("The request body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) {
    const names = unknown.slice(0, 5).map((k) => `"${k.slice(0, 40)}"`).join(", ");
    throw new BadRequestError(
      `Unknown field(s) in the request body: ${names}; ` +
        "expected periods, freq, include_history, rows or seed",
    );
  }
  const seed = readSeed(fields.seed);
  const hasRows = fields.rows !== undefined;
  const periodFields = PERIOD_FIELDS.filter((f) => fields[f] !== undefined);
  if (hasRows && periodFields.length > 0) {
    throw new BadRequestError(
      `Give either rows or periods, not both (found rows and ${periodFields.join(", ")})`,
    );
  }
  if (hasRows) return { rows: readRows(fields.rows, maxPeriods), seed };
  if (fields.periods === undefined) {
    throw new BadRequestError(
      'Give "periods" (with optional "freq" and "include_history") or "rows" to forecast',
    );
  }
  const needed = forecaster.requiredColumns;
  if (needed.length > 0) {
    throw new BadRequestError(
      `This model needs ${needed.join(", ")} in every row: send "rows" instead of "periods"`,
    );
  }
  const periods = readPeriods(fields.periods, maxPeriods);
  const freq = fields.freq ?? "D";
  if (typeof freq !== "string") throw new BadRequestError('"freq" must be a string such as "D"');
  const includeHistory = fields.include_history ?? false;
  if (typeof includeHistory !== "boolean") {
    throw new BadRequestError('"include_history" must be true or false');
  }
  const dates = forecaster.makeFutureDates(periods, freq, includeHistory);
  return { rows: dates.map((ds) => ({ ds })), seed };
}

/**
 * Checks a body and forecasts it.
 *
 * @example
 * const forecast = runForecastRequest(forecaster, await request.json());
 * return { model: name, version, forecast } satisfies ForecastResponse;
 */
export function runForecastRequest(
  forecaster: ProphetForecaster,
  body: unknown,
  options: ForecastRequestOptions = {},
): ForecastPoint[] {
  const request = parseForecastRequest(body, forecaster, options);
  return forecaster.predict(request.rows, request.seed === undefined ? {} : { seed: request.seed });
}

function readPeriods(value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new BadRequestError('"periods" must be an integer');
  }
  if (value < 1) throw new BadRequestError(`"periods" must be at least 1 (got ${value})`);
  if (value > max) throw new BadRequestError(`"periods" must be at most ${max} (got ${value})`);
  return value;
}

function readRows(value: unknown, max: number): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new BadRequestError('"rows" must be a list of rows');
  if (value.length === 0) throw new BadRequestError('"rows" must hold at least one row');
  if (value.length > max) {
    throw new BadRequestError(`"rows" holds ${value.length} rows; the limit is ${max}`);
  }
  return value.map((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new BadRequestError(`rows[${i}] must be an object`);
    }
    return row as Record<string, unknown>;
  });
}

function readSeed(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new BadRequestError('"seed" must be an integer');
  }
  return value;
}
