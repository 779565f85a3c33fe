/**
 * Features the four real exports do not exercise, on hand-written exports whose forecasts are
 * worked out on paper in test/fixtures/prophet/README.md.
 */
import { describe, expect, test } from "bun:test";
import { loadProphetForecaster } from "../../src/prophet/index.ts";
import { expectNear, handObject, loadHand } from "./helpers.ts";

const NO_BOUNDS = { uncertaintySamples: 0 };

describe("logistic growth with cap and floor per row", () => {
  const cases: [string, number, number, number][] = [
    // ds, cap, floor, expected yhat (README table)
    ["2020-01-01", 12, 2, 7],
    ["2020-01-05T12:00", 12, 2, 10 / (1 + Math.exp(-0.9)) + 2],
    ["2020-01-06", 12, 2, 10 / (1 + Math.exp(-1)) + 2],
    ["2020-01-11", 12, 2, 10 / (1 + Math.exp(-3)) + 2],
    ["2020-01-16", 12, 2, 10 / (1 + Math.exp(-5)) + 2],
    ["2020-01-16", 22, 2, 20 / (1 + Math.exp(-5)) + 2],
  ];

  for (const [ds, cap, floor, expected] of cases) {
    test(`${ds} with cap ${cap}, floor ${floor} → ${expected}`, async () => {
      const [row] = (await loadHand("logistic-floor.json")).predict([{ ds, cap, floor }], NO_BOUNDS);
      expectNear(row!.yhat, expected);
      expectNear(row!.trend, expected);
    });
  }

  test("the changepoint's gamma keeps the curve continuous", async () => {
    const forecaster = await loadHand("logistic-floor.json");
    const [before, at] = forecaster.predict(
      [
        { ds: "2020-01-05T23:59:59", cap: 12, floor: 2 },
        { ds: "2020-01-06", cap: 12, floor: 2 },
      ],
      NO_BOUNDS,
    );
    expectNear(before!.yhat, at!.yhat, 1e-4);
  });

  test("the summary lists cap and floor as required columns", async () => {
    const summary = (await loadHand("logistic-floor.json")).summary();
    expect(summary.growth).toBe("logistic");
    expect(summary.required_columns).toEqual(["cap", "floor"]);
  });
});

describe("multiplicative mode, yearly seasonality and a custom additive seasonality", () => {
  const cases: [string, number, number, number][] = [
    // ds, trend, yearly, yhat
    ["2020-01-01T12:00", 57.5, 0.16, 68.7],
    ["2020-04-01T19:30", 63.75, 0.14, 74.675],
    ["2020-07-02T03:00", 70, -0.24, 55.2],
    ["2020-10-01T10:30", 76.25, -0.06, 73.675],
  ];

  test("trend, yearly (fraction), monthly (data units) and yhat", async () => {
    const forecaster = await loadHand("multiplicative-yearly.json");
    const rows = forecaster.predict(cases.map(([ds]) => ({ ds })), NO_BOUNDS);
    rows.forEach((row, i) => {
      const [ds, trend, yearly, yhat] = cases[i]!;
      expect(row.ds).toBe(`${ds}:00`);
      expectNear(row.trend, trend);
      expectNear(row.yearly, yearly);
      expectNear(row.multiplicative_terms, yearly);
      expectNear(row.monthly, 2);
      expectNear(row.additive_terms, 2);
      expectNear(row.yhat, yhat);
    });
  });

  test("summary shows each seasonality with period, order and mode", async () => {
    const summary = (await loadHand("multiplicative-yearly.json")).summary();
    expect(summary.seasonality_mode).toBe("multiplicative");
    expect(summary.seasonalities).toEqual([
      { name: "yearly", period: 365.25, fourier_order: 2, mode: "multiplicative", condition_name: null },
      { name: "monthly", period: 30.4375, fourier_order: 1, mode: "additive", condition_name: null },
    ]);
  });
});

describe("holidays with windows and extra regressors", () => {
  const rows = [
    { ds: "2020-12-24", temp: 25, promo: 0 },
    { ds: "2020-12-25", temp: 20, promo: 1 },
    { ds: "2020-12-26T18:00", temp: 15, promo: 1 },
    { ds: "2021-01-10", temp: 30, promo: 0 },
    { ds: "2021-06-01", temp: 20, promo: 0 },
    { ds: "2021-12-25", temp: 20, promo: 0 },
  ];
  // holidays, xmas, launch, temp effect, promo fraction, yhat (README table)
  const expected = [
    [5, 5, 0, 2, 0, 27],
    [25, 25, 0, 0, 0.1, 47],
    [10, 10, 0, -2, 0.1, 30],
    [15, 0, 15, 4, 0, 39],
    [0, 0, 0, 0, 0, 20],
    [25, 25, 0, 0, 0, 45],
  ];

  test("each holiday window day, each regressor, and yhat", async () => {
    const forecast = (await loadHand("holidays-regressors.json")).predict(rows, NO_BOUNDS);
    forecast.forEach((row, i) => {
      const [holidays, xmas, launch, temp, promo, yhat] = expected[i]!;
      expectNear(row.trend, 20);
      expectNear(row.holidays, holidays!);
      expectNear(row.xmas, xmas!);
      expectNear(row.launch, launch!);
      expectNear(row.temp, temp!);
      expectNear(row.extra_regressors_additive, temp!);
      expectNear(row.promo, promo!);
      expectNear(row.extra_regressors_multiplicative, promo!);
      expectNear(row.multiplicative_terms, promo!);
      expectNear(row.additive_terms, holidays! + temp!);
      expectNear(row.yhat, yhat!);
    });
  });

  test("summary lists holidays and regressors with mu and std", async () => {
    const summary = (await loadHand("holidays-regressors.json")).summary();
    expect(summary.growth).toBe("flat");
    expect(summary.holidays).toEqual(["xmas", "launch"]);
    expect(summary.regressors).toEqual([
      { name: "temp", mode: "additive", mu: 20, std: 5 },
      { name: "promo", mode: "multiplicative", mu: 0, std: 1 },
    ]);
    expect(summary.required_columns).toEqual(["temp", "promo"]);
  });
});

describe("conditional seasonality", () => {
  const dates = ["2019-12-31T06:00", "2020-01-02T00:00", "2020-01-03T18:00", "2020-01-05T12:00"];
  // trend, weekly, daily when on, yhat on, yhat off (README table)
  const expected = [
    [4.025, -0.2, 0.5, 4.325, 3.825],
    [4.2, 0.3, -0.1, 4.4, 4.5],
    [4.375, 0.2, -0.5, 4.075, 4.575],
    [4.55, -0.3, 0.1, 4.35, 4.25],
  ];

  test("the seasonality applies where the condition is true, and only there", async () => {
    const forecaster = await loadHand("conditional-daily.json");
    const on = forecaster.predict(dates.map((ds) => ({ ds, on_season: true })));
    const off = forecaster.predict(dates.map((ds) => ({ ds, on_season: false })));
    expected.forEach(([trend, weekly, daily, yhatOn, yhatOff], i) => {
      expectNear(on[i]!.trend, trend!);
      expectNear(on[i]!.weekly, weekly!);
      expectNear(on[i]!.daily_on_season, daily!);
      expectNear(on[i]!.yhat, yhatOn!);
      expect(off[i]!.daily_on_season).toBe(0);
      expectNear(off[i]!.yhat, yhatOff!);
    });
  });

  test("1 and 0 count as true and false, as in pandas' isin([True, False])", async () => {
    const forecaster = await loadHand("conditional-daily.json");
    const a = forecaster.predict([{ ds: dates[0]!, on_season: 1 }, { ds: dates[1]!, on_season: 0 }]);
    expectNear(a[0]!.yhat, 4.325);
    expectNear(a[1]!.yhat, 4.5);
  });

  test("uncertainty_samples = 0 in the export: bounds equal yhat", async () => {
    const [row] = (await loadHand("conditional-daily.json")).predict([{ ds: dates[0]!, on_season: true }]);
    expect(row!.yhat_lower).toBe(row!.yhat);
    expect(row!.yhat_upper).toBe(row!.yhat);
  });

  test('scaling "minmax" moves trend and yhat by y_min (the floor)', async () => {
    const raw = await handObject("conditional-daily.json");
    const forecaster = loadProphetForecaster(JSON.stringify({ ...raw, scaling: "minmax", y_min: 1.5 }));
    const rows = forecaster.predict(dates.map((ds) => ({ ds, on_season: true })));
    expected.forEach(([trend, , , yhatOn], i) => {
      expectNear(rows[i]!.trend, trend! + 1.5);
      expectNear(rows[i]!.yhat, yhatOn! + 1.5);
    });
  });
});

describe("MCMC exports with consistent draws", () => {
  test("the point forecast uses the mean of each parameter over the draws", async () => {
    const forecaster = await loadHand("mcmc-draws.json");
    const [early, late] = forecaster.predict([{ ds: "2020-01-03" }, { ds: "2020-01-16" }]);
    expectNear(early!.yhat, 4);
    expectNear(late!.yhat, 19);
    expect(forecaster.summary().parameter_draws).toBe(3);
  });

  test("the bounds cover the spread of the draws (k and m differ between draws)", async () => {
    const [row] = (await loadHand("mcmc-draws.json")).predict([{ ds: "2020-01-03" }]);
    // Draw trends at t = 0.2: 2.8, 4.0, 5.2; noise sd 0.1. The 80 % bounds sit near the outer draws.
    expect(row!.yhat_lower).toBeLessThan(3.2);
    expect(row!.yhat_lower).toBeGreaterThan(2.5);
    expect(row!.yhat_upper).toBeGreaterThan(4.8);
    expect(row!.yhat_upper).toBeLessThan(5.5);
  });
});

describe("output rows", () => {
  test("rows come back sorted by ds, as Prophet sorts them", async () => {
    const forecaster = await loadHand("multiplicative-yearly.json");
    const rows = forecaster.predict([{ ds: "2020-07-02T03:00" }, { ds: "2020-01-01T12:00" }], NO_BOUNDS);
    expect(rows.map((r) => r.ds)).toEqual(["2020-01-01T12:00:00", "2020-07-02T03:00:00"]);
  });

  test("keys: ds, yhat, yhat_lower, yhat_upper, trend, then the export's components", async () => {
    const [row] = (await loadHand("holidays-regressors.json")).predict([
      { ds: "2021-06-01", temp: 20, promo: 0 },
    ]);
    expect(Object.keys(row!)).toEqual([
      "ds", "yhat", "yhat_lower", "yhat_upper", "trend",
      "additive_terms", "extra_regressors_additive", "extra_regressors_multiplicative",
      "holidays", "launch", "multiplicative_terms", "promo", "temp", "xmas",
    ]);
    expect(row!.ds).toBe("2021-06-01");
  });
});
