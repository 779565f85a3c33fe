/**
 * The body of POST /api/v1/models/{name}/forecast: the two accepted forms, and a 400 that names
 * the problem for everything else.
 */
import { describe, expect, test } from "bun:test";
import { BadRequestError } from "../../src/errors/app-error.ts";
import { parseForecastRequest, runForecastRequest } from "../../src/prophet/index.ts";
import type { ProphetForecaster } from "../../src/prophet/index.ts";
import { loadHand, loadShared } from "./helpers.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

/** Runs a body and returns the 400's message. */
function badRequest(forecaster: ProphetForecaster, body: unknown, maxPeriods?: number): string {
  try {
    runForecastRequest(forecaster, body, maxPeriods === undefined ? {} : { maxPeriods });
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    return (error as BadRequestError).message;
  }
  throw new Error("the request was accepted, but it should have been refused");
}

describe("the periods form", () => {
  sharedFixtures.test("{ periods, freq, include_history } gives make_future_dataframe's dates", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const forecast = runForecastRequest(forecaster, { periods: 10, freq: "D", include_history: false });
    expect(forecast).toHaveLength(10);
    expect(forecast[0]!.ds).toBe("2020-01-21");
    expect(forecast.at(-1)!.ds).toBe("2020-01-30");
    expect(Math.abs(forecast.at(-1)!.yhat - 29.282810844704414)).toBeLessThan(1e-9);
  });

  sharedFixtures.test('freq defaults to "D" and include_history to false', async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const request = parseForecastRequest({ periods: 3 }, forecaster);
    expect(request.rows).toEqual([{ ds: "2020-01-21" }, { ds: "2020-01-22" }, { ds: "2020-01-23" }]);
    expect(parseForecastRequest({ periods: 3, include_history: true }, forecaster).rows).toHaveLength(23);
  });

  sharedFixtures.test("a seed in the body makes the bounds repeatable", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const a = runForecastRequest(forecaster, { periods: 5, seed: 42 });
    const b = runForecastRequest(forecaster, { periods: 5, seed: 42 });
    expect(b).toEqual(a);
    expect(parseForecastRequest({ periods: 5, seed: 42 }, forecaster).seed).toBe(42);
  });

  sharedFixtures.test("periods below 1, above the limit, or not an integer", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(badRequest(forecaster, { periods: 0 })).toBe('"periods" must be at least 1 (got 0)');
    expect(badRequest(forecaster, { periods: -3 })).toBe('"periods" must be at least 1 (got -3)');
    expect(badRequest(forecaster, { periods: 10_001 })).toBe('"periods" must be at most 10000 (got 10001)');
    expect(badRequest(forecaster, { periods: 31 }, 30)).toBe('"periods" must be at most 30 (got 31)');
    expect(badRequest(forecaster, { periods: 2.5 })).toBe('"periods" must be an integer');
    expect(badRequest(forecaster, { periods: "30" })).toBe('"periods" must be an integer');
  });

  sharedFixtures.test("an unknown freq names it", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(badRequest(forecaster, { periods: 3, freq: "fortnight" })).toStartWith(
      'freq "fortnight" is not supported',
    );
    expect(badRequest(forecaster, { periods: 3, freq: 7 })).toBe('"freq" must be a string such as "D"');
  });

  sharedFixtures.test("include_history must be a boolean", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(badRequest(forecaster, { periods: 3, include_history: "yes" })).toBe(
      '"include_history" must be true or false',
    );
  });

  test("a model that needs columns cannot use the periods form", async () => {
    const logistic = await loadHand("logistic-floor.json");
    expect(badRequest(logistic, { periods: 3 })).toBe(
      'This model needs cap, floor in every row: send "rows" instead of "periods"',
    );
    const regressors = await loadHand("holidays-regressors.json");
    expect(badRequest(regressors, { periods: 3 })).toContain("temp, promo");
  });
});

describe("the rows form", () => {
  test("rows with cap and floor for a logistic model", async () => {
    const forecaster = await loadHand("logistic-floor.json");
    const forecast = runForecastRequest(forecaster, {
      rows: [{ ds: "2020-01-16", cap: 12, floor: 2 }],
    });
    expect(forecast[0]!.ds).toBe("2020-01-16");
    expect(Math.abs(forecast[0]!.yhat - (10 / (1 + Math.exp(-5)) + 2))).toBeLessThan(1e-9);
  });

  test("a missing cap or floor names the row and the column", async () => {
    const forecaster = await loadHand("logistic-floor.json");
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-16", floor: 2 }] })).toBe(
      "rows[0].cap is missing: this model uses logistic growth",
    );
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-16", cap: 12 }] })).toBe(
      "rows[0].floor is missing: this model was fit with a floor",
    );
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-16", cap: "12", floor: 2 }] })).toBe(
      "rows[0].cap must be a finite number",
    );
  });

  test("cap at or below the floor", async () => {
    const forecaster = await loadHand("logistic-floor.json");
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-16", cap: 2, floor: 2 }] })).toBe(
      "rows[0].cap must be greater than floor (2) for logistic growth",
    );
  });

  test("a missing regressor names it", async () => {
    const forecaster = await loadHand("holidays-regressors.json");
    const message = badRequest(forecaster, {
      rows: [
        { ds: "2021-01-01", temp: 20, promo: 0 },
        { ds: "2021-01-02", temp: 20 },
      ],
    });
    expect(message).toBe('rows[1].promo is missing: the model has the extra regressor "promo"');
  });

  test("a missing or non-boolean condition column names it", async () => {
    const forecaster = await loadHand("conditional-daily.json");
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-02" }] })).toBe(
      'rows[0].on_season is missing: the seasonality "daily_on_season" is conditional on it',
    );
    expect(badRequest(forecaster, { rows: [{ ds: "2020-01-02", on_season: "yes" }] })).toBe(
      "rows[0].on_season must be true or false",
    );
  });

  sharedFixtures.test("bad or missing dates", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    for (const ds of ["2021-02-30", "next tuesday", "2021-01-01T00:00:00+05:00", 20210101]) {
      expect(badRequest(forecaster, { rows: [{ ds: "2021-01-01" }, { ds }] })).toStartWith(
        "rows[1].ds is not a date",
      );
    }
    expect(badRequest(forecaster, { rows: [{ y: 1 }] })).toBe("rows[0].ds is missing");
  });

  sharedFixtures.test("rows must be a non-empty list of objects within the limit", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(badRequest(forecaster, { rows: [] })).toBe('"rows" must hold at least one row');
    expect(badRequest(forecaster, { rows: {} })).toBe('"rows" must be a list of rows');
    expect(badRequest(forecaster, { rows: ["2021-01-01"] })).toBe("rows[0] must be an object");
    const many = Array.from({ length: 4 }, () => ({ ds: "2021-01-01" }));
    expect(badRequest(forecaster, { rows: many }, 3)).toBe('"rows" holds 4 rows; the limit is 3');
  });

  sharedFixtures.test("a UTC \"Z\" suffix is accepted and the output stays naive", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const [row] = runForecastRequest(forecaster, { rows: [{ ds: "2020-01-30T00:00:00Z" }] });
    expect(row!.ds).toBe("2020-01-30");
  });
});

describe("the body itself", () => {
  sharedFixtures.test("not an object", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    for (const body of [null, [], "periods=3", 3]) {
      expect(badRequest(forecaster, body)).toBe("The request body must be a JSON object");
    }
  });

  sharedFixtures.test("neither form, both forms, unknown fields, a bad seed", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(badRequest(forecaster, {})).toBe(
      'Give "periods" (with optional "freq" and "include_history") or "rows" to forecast',
    );
    expect(badRequest(forecaster, { periods: 3, rows: [{ ds: "2021-01-01" }] })).toBe(
      "Give either rows or periods, not both (found rows and periods)",
    );
    expect(badRequest(forecaster, { period: 3 })).toStartWith(
      'Unknown field(s) in the request body: "period"',
    );
    expect(badRequest(forecaster, { periods: 3, seed: 1.5 })).toBe('"seed" must be an integer');
  });
});
