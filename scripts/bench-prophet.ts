/**
 * Benchmark: milliseconds per forecast point for 365 daily points, median of many runs, with
 * and without the uncertainty simulation (1000 samples).
 *
 * Two models: the facebook/prophet test export (weekly seasonality, 15 changepoints), and a
 * typical production shape built here (yearly order 10 + weekly order 3, 25 changepoints,
 * 2 years of daily history).
 *
 * Run: bun scripts/bench-prophet.ts   (package.json script "bench:prophet")
 */
import { join } from "node:path";
import { loadProphetForecaster, type ProphetForecaster } from "../src/prophet/index.ts";

const POINTS = 365;

/** Median over `runs` timed calls, after a warm-up. */
function medianMs(runs: number, fn: () => void): number {
  for (let i = 0; i < Math.min(10, runs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function bench(name: string, forecaster: ProphetForecaster): void {
  const rows = forecaster.makeFutureDates(POINTS, "D", false).map((ds) => ({ ds }));
  const point = medianMs(400, () => forecaster.predict(rows, { uncertaintySamples: 0 }));
  const bounds = medianMs(40, () => forecaster.predict(rows, { uncertaintySamples: 1000, seed: 1 }));
  const perPoint = (ms: number) => `${(ms / POINTS).toFixed(5)} ms/point (${ms.toFixed(2)} ms total)`;
  console.log(`${name}`);
  console.log(`  point forecast only:       ${perPoint(point)}`);
  console.log(`  with 1000-sample bounds:   ${perPoint(bounds)}`);
}

/** A typical export: two years of daily history, yearly + weekly seasonality, 25 changepoints. */
function typicalExport(): string {
  const day = 86_400;
  const start = Date.UTC(2022, 0, 1) / 1000;
  const days = 730;
  const iso = (s: number) => new Date(s * 1000).toISOString().replace("Z", "");
  const history = Array.from({ length: days + 1 }, (_, i) => ({
    ds: iso(start + i * day), y: 100 + i, floor: 0, t: i / days, y_scaled: (100 + i) / 830,
  }));
  const changepointsT = Array.from({ length: 25 }, (_, i) => Math.round(((i + 1) * 0.8 * days) / 26) / days);
  const componentRows = [
    ...Array.from({ length: 20 }, () => ({ additive_terms: 1, multiplicative_terms: 0, weekly: 0, yearly: 1 })),
    ...Array.from({ length: 6 }, () => ({ additive_terms: 1, multiplicative_terms: 0, weekly: 1, yearly: 0 })),
  ];
  const table = (fields: string[], data: unknown[]) =>
    JSON.stringify({ schema: { fields: fields.map((name) => ({ name })) }, data });
  return JSON.stringify({
    growth: "linear",
    start,
    t_scale: days * day,
    y_scale: 830,
    logistic_floor: false,
    seasonality_mode: "additive",
    changepoints_t: changepointsT,
    params: {
      k: [[0.9]],
      m: [[0.12]],
      delta: [changepointsT.map((_, i) => ((i % 5) - 2) * 0.01)],
      sigma_obs: [[0.02]],
      beta: [Array.from({ length: 26 }, (_, i) => Math.sin(i + 1) * 0.01)],
    },
    seasonalities: [
      ["yearly", "weekly"],
      {
        yearly: { period: 365.25, fourier_order: 10, mode: "additive", condition_name: null },
        weekly: { period: 7, fourier_order: 3, mode: "additive", condition_name: null },
      },
    ],
    extra_regressors: [[], {}],
    component_modes: { additive: ["yearly", "weekly", "additive_terms"], multiplicative: ["multiplicative_terms"] },
    train_component_cols: table(["additive_terms", "multiplicative_terms", "weekly", "yearly"], componentRows),
    history: table(["ds", "y", "floor", "t", "y_scaled"], history),
    history_dates: JSON.stringify({ name: "ds", data: history.map((h) => h.ds) }),
    interval_width: 0.8,
    uncertainty_samples: 1000,
    __prophet_version: "bench",
  });
}

const fixture = join(import.meta.dir, "../../shared/fixtures/prophet/serialized_model_v1.0.1.json");
console.log(`Prophet forecast, ${POINTS} daily points, median of many runs (Bun ${Bun.version})`);
bench("facebook/prophet serialized_model_v1.0.1.json (weekly, 15 changepoints)", loadProphetForecaster(await Bun.file(fixture).text()));
bench("typical export (yearly 10 + weekly 3, 25 changepoints)", loadProphetForecaster(typicalExport()));
