/**
 * yhat_lower / yhat_upper: seeded and repeatable, statistically right, and the pieces under them
 * (numpy's percentile, the random draws).
 */
import { describe, expect, test } from "bun:test";
import { percentileInPlace } from "../../src/prophet/percentile.ts";
import { createRandom } from "../../src/prophet/random.ts";
import { expectNear, loadHand, loadShared } from "./helpers.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

/** The normal distribution's 90 % quantile: an 80 % interval is mean ± this many sd. */
const Z90 = 1.2815515655446004;

describe("seeded repeatability", () => {
  sharedFixtures.test("the same seed gives the same bounds; another seed gives other bounds", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const rows = forecaster.makeFutureDates(30, "D", false).map((ds) => ({ ds }));
    const a = forecaster.predict(rows, { seed: 11 });
    const b = forecaster.predict(rows, { seed: 11 });
    const c = forecaster.predict(rows, { seed: 12 });
    expect(b).toEqual(a);
    expect(c.map((r) => r.yhat_upper)).not.toEqual(a.map((r) => r.yhat_upper));
    // The point forecast does not depend on the seed.
    expect(c.map((r) => r.yhat)).toEqual(a.map((r) => r.yhat));
  });

  sharedFixtures.test("without a seed the default (0) is used, so repeated calls agree", async () => {
    const forecaster = await loadShared("databricks_automl_prophet_v1.1.1.json");
    const rows = [{ ds: "2020-11-04" }];
    expect(forecaster.predict(rows)).toEqual(forecaster.predict(rows, { seed: 0 }));
  });
});

describe("statistical checks", () => {
  test("flat growth, noise only: the 80 % interval is ±1.2816 sigma_obs · y_scale", async () => {
    const forecaster = await loadHand("holidays-regressors.json");
    // sigma_obs 0.02 · y_scale 50 = 1; flat growth adds no trend uncertainty.
    const rows = Array.from({ length: 365 }, (_, i) => ({
      ds: new Date(Date.UTC(2021, 0, 1) + i * 86_400_000),
      temp: 20,
      promo: 0,
    }));
    const forecast = forecaster.predict(rows, { seed: 5 });
    let lowerGap = 0;
    let upperGap = 0;
    for (const row of forecast) {
      lowerGap += row.yhat - row.yhat_lower;
      upperGap += row.yhat_upper - row.yhat;
    }
    // Each bound of 1000 draws has a sampling sd of about 0.054; averaged over 365 rows, 0.003.
    expectNear(lowerGap / forecast.length, Z90, 0.02);
    expectNear(upperGap / forecast.length, Z90, 0.02);
  });

  test("more samples, tighter estimate of the same quantile", async () => {
    const forecaster = await loadHand("holidays-regressors.json");
    const [row] = forecaster.predict([{ ds: "2021-06-01", temp: 20, promo: 0 }], {
      uncertaintySamples: 200_000,
      seed: 9,
    });
    expectNear(row!.yhat_upper - row!.yhat, Z90, 0.01);
    expectNear(row!.yhat - row!.yhat_lower, Z90, 0.01);
  });

  sharedFixtures.test("linear trend: no width on the history (sigma_obs ≈ 0), a widening interval in the future", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const forecast = forecaster.predict(
      forecaster.makeFutureDates(60, "D", true).map((ds) => ({ ds })),
      { seed: 2 },
    );
    const width = forecast.map((r) => r.yhat_upper - r.yhat_lower);
    expect(Math.max(...width.slice(0, 20))).toBeLessThan(1e-9);
    expect(width[21]!).toBeGreaterThan(0);
    expect(width[79]!).toBeGreaterThan(width[30]! * 2);
    for (const row of forecast) {
      expect(row.yhat_lower).toBeLessThanOrEqual(row.yhat + 1e-9);
      expect(row.yhat_upper).toBeGreaterThanOrEqual(row.yhat - 1e-9);
    }
  });

  test("logistic trend: bounds bracket yhat and stay near the capacity", async () => {
    const forecaster = await loadHand("logistic-floor.json");
    const rows = Array.from({ length: 20 }, (_, i) => ({
      ds: new Date(Date.UTC(2020, 0, 12 + i)),
      cap: 12,
      floor: 2,
    }));
    const forecast = forecaster.predict(rows, { seed: 4 });
    for (const row of forecast) {
      expect(row.yhat_lower).toBeLessThan(row.yhat);
      expect(row.yhat_upper).toBeGreaterThan(row.yhat);
      // Noise sd is 0.05 · 10 = 0.5; the trend cannot pass the capacity.
      expect(row.yhat_upper).toBeLessThan(12 + 3 * 0.5);
    }
  });

  sharedFixtures.test("a simulation too large to hold is a 400, not an out-of-memory", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const rows = forecaster.makeFutureDates(365, "D", false).map((ds) => ({ ds }));
    expect(() => forecaster.predict(rows, { uncertaintySamples: 100_000 })).toThrow(
      "365 rows with 100000 uncertainty samples is more than this service simulates at once",
    );
  });

  sharedFixtures.test("uncertaintySamples: 0 turns the simulation off", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    const [row] = forecaster.predict([{ ds: "2020-02-10" }], { uncertaintySamples: 0 });
    expect(row!.yhat_lower).toBe(row!.yhat);
    expect(row!.yhat_upper).toBe(row!.yhat);
  });
});

describe("numpy.percentile, linear method", () => {
  const values = [3.5, -1.25, 7.0, 2.0, 2.0, 9.75, 0.5, 4.0, -3.0, 6.25, 1.0];
  // Computed with numpy 2.4: np.percentile(values, p). Prophet's lower_p for an 0.8 interval is
  // 100 * (1 - 0.8) / 2 = 9.999999999999998, not 10.
  const cases: [number, number][] = [
    [(100 * (1 - 0.8)) / 2, -1.2500000000000004],
    [(100 * (1 + 0.8)) / 2, 7.0],
    [50, 2.0],
    [0, -3.0],
    [100, 9.75],
    [37.5, 1.75],
    [95, 8.375],
  ];
  for (const [p, expected] of cases) {
    test(`p = ${p} → ${expected}`, () => {
      expect(percentileInPlace(Float64Array.from(values), 0, values.length, p)).toBe(expected);
    });
  }

  test("works on a run inside a larger array", () => {
    const data = Float64Array.of(100, 4, 1, 3, 2, -100);
    expect(percentileInPlace(data, 1, 4, 50)).toBe(2.5);
  });
});

describe("random draws", () => {
  test("normal and Laplace draws have the right mean and spread", () => {
    const rng = createRandom(123);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let absLaplace = 0;
    let laplaceSum = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(2);
      sum += z;
      squares += z * z;
      const l = rng.laplace(0.5);
      laplaceSum += l;
      absLaplace += Math.abs(l);
    }
    expectNear(sum / n, 0, 0.03);
    expectNear(Math.sqrt(squares / n), 2, 0.02);
    expectNear(laplaceSum / n, 0, 0.01);
    // E|Laplace(0, b)| = b.
    expectNear(absLaplace / n, 0.5, 0.01);
  });

  test("uniform draws lie in [0, 1) and the same seed repeats them", () => {
    const a = createRandom(-7);
    const b = createRandom(-7);
    for (let i = 0; i < 1000; i++) {
      const u = a.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(b.uniform()).toBe(u);
    }
    expect(createRandom(1).uniform()).not.toBe(createRandom(2).uniform());
  });
});
