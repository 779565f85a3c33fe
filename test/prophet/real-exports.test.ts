/**
 * The four real exports in shared/fixtures/prophet give the forecasts their authors' tests expect
 * (facebook/prophet test_backwards_compatibility, databricks/automl model_test.py).
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { loadProphetForecaster } from "../../src/prophet/index.ts";
import { expectNear, loadShared, readText, SHARED_PROPHET } from "./helpers.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

// Every test here reads ../shared/fixtures: without them they skip (or fail under MODEL_CACHE_REQUIRE_FIXTURES=1).
const { describe, test } = sharedFixtures;

describe("facebook/prophet backwards-compatibility exports (double-encoded)", () => {
  const cases = [
    ["serialized_model_v0.6.1.dev0.json", "0.6.1.dev0", 29.3669923968994],
    ["serialized_model_v0.7.1.json", "0.7.1", 29.282810844704414],
    ["serialized_model_v1.0.1.json", "1.0.1", 29.282810844704414],
  ] as const;

  for (const [file, version, expected] of cases) {
    test(`${file}: yhat on 2020-01-30 is ${expected} within 1e-9`, async () => {
      const forecaster = await loadShared(file);
      // Prophet's test: m.make_future_dataframe(10) (daily, with history), last yhat.
      const dates = forecaster.makeFutureDates(10, "D", true);
      expect(dates).toHaveLength(30);
      expect(dates.at(-1)).toBe("2020-01-30");
      const forecast = forecaster.predict(dates.map((ds) => ({ ds })));
      expectNear(forecast.at(-1)!.yhat, expected, 1e-9);
      expect(forecaster.summary().prophet_version).toBe(version);
    });
  }

  test("the history part of the forecast fits y = 0..19 (the data the model was fit on)", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const history = forecaster.predict(forecaster.makeFutureDates(0, "D", true).map((ds) => ({ ds })));
    history.forEach((row, i) => expectNear(row.yhat, i, 1e-3));
  });
});

describe("databricks/automl export (plain JSON, prophet 1.1.1)", () => {
  const file = "databricks_automl_prophet_v1.1.1.json";

  test("yhat on the history dates and the next day, to 6 decimals", async () => {
    const forecaster = await loadShared(file);
    // The upstream test: make_future_dataframe(periods=1, freq="D") then predict.
    const dates = forecaster.makeFutureDates(1, "D", true);
    expect(dates).toEqual([
      "2020-10-01", "2020-10-04", "2020-10-07", "2020-10-10", "2020-10-13",
      "2020-10-16", "2020-10-19", "2020-10-22", "2020-10-25", "2020-10-26",
    ]);
    const expected = [
      6.4e-7, 1.000005, 2.00001, 3.000014, 4.000019, 5.000024, 6.000029, 7.000035, 8.000039,
      8.794826,
    ];
    const forecast = forecaster.predict(dates.map((ds) => ({ ds })));
    forecast.forEach((row, i) => expectNear(row.yhat, expected[i]!, 5e-7));
  });

  test("yhat on 2020-11-01 and 2020-11-04", async () => {
    const forecaster = await loadShared(file);
    const [nov1, nov4] = forecaster.predict([{ ds: "2020-11-01" }, { ds: "2020-11-04" }]);
    expectNear(nov1!.yhat, 10.794835, 5e-7);
    expectNear(nov4!.yhat, 12.65636, 5e-6);
  });

  test("summary shows version, growth and seasonalities", async () => {
    const summary = (await loadShared(file)).summary();
    expect(summary).toMatchObject({
      prophet_version: "1.1.1",
      growth: "linear",
      seasonalities: [
        { name: "weekly", period: 7, fourier_order: 3, mode: "additive", condition_name: null },
      ],
      regressors: [],
      holidays: [],
      interval_width: 0.8,
      uncertainty_samples: 1000,
      history: { start: "2020-10-01", end: "2020-10-25", dates: 9 },
    });
  });
});

describe("both file forms", () => {
  test("the plain databricks export, double-encoded, gives the same forecast", async () => {
    const plain = await readText(join(SHARED_PROPHET, "databricks_automl_prophet_v1.1.1.json"));
    const rows = [{ ds: "2020-11-04" }];
    const a = loadProphetForecaster(plain).predict(rows, { seed: 3 });
    const b = loadProphetForecaster(JSON.stringify(plain)).predict(rows, { seed: 3 });
    expect(b).toEqual(a);
  });

  test("a double-encoded facebook export, decoded once, gives the same forecast", async () => {
    const doubled = await readText(join(SHARED_PROPHET, "serialized_model_v0.7.1.json"));
    const plain = JSON.parse(doubled) as string;
    expect(typeof plain).toBe("string");
    const rows = [{ ds: "2020-01-30" }];
    const a = loadProphetForecaster(doubled).predict(rows, { uncertaintySamples: 0 });
    const b = loadProphetForecaster(plain).predict(rows, { uncertaintySamples: 0 });
    expect(b).toEqual(a);
    expectNear(a[0]!.yhat, 29.282810844704414);
  });
});
