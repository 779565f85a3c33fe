/**
 * sales_forecast.json: a Prophet 1.1.5 `model_to_json` export of synthetic daily sales
 * (2022-01-01 … 2023-12-31): linear growth with 5 changepoints, yearly (order 10) and weekly
 * (order 3) additive seasonality.
 *
 * Nothing is fitted. The parameters below are chosen, the history is generated from them plus
 * seeded noise, and the export stores exactly those parameters (re-expressed in units of
 * y_scale and rounded to 6 significant digits, as cmdstan writes them), so it is consistent:
 * params.trend equals the trend formula at every history t, and the history residuals are
 * noise with standard deviation ≈ sigma_obs · y_scale.
 *
 * How to check a forecast: see ./prophet-check.ts for the formula, or in Python
 *   from prophet.serialize import model_from_json
 *   m = model_from_json(open("models/sales_forecast.json").read())
 *   m.predict(m.make_future_dataframe(periods=14))[["ds", "yhat"]].tail(14)
 * prophetYhat() there must agree with Prophet's yhat to ~1e-9 (same formula, no sampling);
 * the build prints three such values.
 */
import { mulberry32, normalish } from "../prng.ts";
import { PdFloat, frameTableJson, pandasIsoDate, seriesSplitJson } from "./pandas-json.ts";
import { prophetSeasonality, prophetTrend, prophetYhat, type ProphetExport } from "./prophet-check.ts";
import { pyFloat, pyJsonDumps, type PyJson } from "./python-json.ts";

const DAY = 86400;
const START = Date.UTC(2022, 0, 1) / 1000;
const DAYS = 730;
const N_CHANGEPOINTS = 5;
const CHANGEPOINT_RANGE = 0.8;
const YEARLY = { name: "yearly", period: 365.25, order: 10 };
const WEEKLY = { name: "weekly", period: 7, order: 3 };
const NOMINAL_SCALE = 400;
const NOISE_SEED = 20240101;

/** Generating parameters in units of NOMINAL_SCALE (a Prophet "scaled" model before y_scale is known). */
const NOMINAL = {
  k: 0.3,
  m: 0.5,
  delta: [0.1, -0.25, 0.05, 0.2, -0.1],
  // yearly: sin1, cos1, sin2, cos2, … (a winter peak and a smaller spring bump)
  betaYearly: [
    0.02, 0.06, -0.015, 0.02, 0.008, -0.01, -0.004, 0.005, 0.003, -0.002, 0.0015, 0.001, -0.001, 0.0008, 0.0005,
    -0.0005, 0.0004, 0.0003, -0.0002, 0.0002,
  ],
  // weekly: sin1, cos1, sin2, cos2, sin3, cos3 (busier weekends)
  betaWeekly: [0.03, -0.045, 0.01, 0.012, -0.004, 0.006],
  sigmaObs: 0.02,
};

/** cmdstan's CSV keeps 6 significant digits. */
function sig6(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** numpy.linspace(0, stop, num).round() with numpy's ties-to-even. */
function linspaceRounded(stop: number, num: number): number[] {
  const step = stop / (num - 1);
  return Array.from({ length: num }, (_, i) => {
    const v = i === num - 1 ? stop : i * step;
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  });
}

interface Frame {
  ds: number[];
  t: number[];
  y: number[];
  tScale: number;
  changepointIdx: number[];
  changepointsT: number[];
}

function timeline(): Omit<Frame, "y"> {
  const ds = Array.from({ length: DAYS }, (_, i) => START + i * DAY);
  const tScale = (DAYS - 1) * DAY;
  const t = ds.map((d) => (d - START) / tScale);
  const histSize = Math.floor(DAYS * CHANGEPOINT_RANGE);
  const changepointIdx = linspaceRounded(histSize - 1, N_CHANGEPOINTS + 1).slice(1);
  return { ds, t, tScale, changepointIdx, changepointsT: changepointIdx.map((i) => t[i] as number) };
}

function exportShell(frame: Omit<Frame, "y">, params: Record<string, number[][]>, yScale: number): ProphetExport {
  return {
    start: START,
    t_scale: frame.tScale,
    y_scale: yScale,
    changepoints_t: frame.changepointsT,
    seasonalities: [
      [YEARLY.name, WEEKLY.name],
      {
        [YEARLY.name]: { period: YEARLY.period, fourier_order: YEARLY.order, mode: "additive" },
        [WEEKLY.name]: { period: WEEKLY.period, fourier_order: WEEKLY.order, mode: "additive" },
      },
    ],
    params,
  };
}

/** Stan's lp__ for Prophet's model at these parameters (constants dropped, as `~` does). */
function logPosterior(p: Record<string, number[][]>, yScaled: number[], mu: number[]): number {
  const v = (name: string) => p[name]?.[0] ?? [];
  const [k = 0] = v("k");
  const [m = 0] = v("m");
  const [sigma = 1] = v("sigma_obs");
  let lp = -0.5 * (k / 5) ** 2 - 0.5 * (m / 5) ** 2 - 0.5 * (sigma / 0.5) ** 2;
  for (const d of v("delta")) lp -= Math.abs(d) / 0.05; // changepoint_prior_scale
  for (const b of v("beta")) lp -= 0.5 * (b / 10) ** 2; // seasonality_prior_scale
  yScaled.forEach((y, i) => {
    lp -= Math.log(sigma) + 0.5 * ((y - (mu[i] as number)) / sigma) ** 2;
  });
  return lp;
}

/** Generates the history, derives the stored parameters, and returns the export object. */
export function buildSalesModel(): { json: string; model: ProphetExport; history: { ds: number[]; y: number[] } } {
  const frame = timeline();
  const nominal = {
    k: [[NOMINAL.k]],
    m: [[NOMINAL.m]],
    delta: [NOMINAL.delta],
    beta: [[...NOMINAL.betaYearly, ...NOMINAL.betaWeekly]],
  };
  const gen = exportShell(frame, nominal, NOMINAL_SCALE);
  const random = mulberry32(NOISE_SEED);
  const y = frame.ds.map((d, i) => {
    const clean = prophetTrend(gen, frame.t[i] as number) + prophetSeasonality(gen, d);
    return round2(NOMINAL_SCALE * (clean + NOMINAL.sigmaObs * normalish(random)));
  });
  const yScale = Math.max(...y.map(Math.abs));
  const r = NOMINAL_SCALE / yScale;
  const params: Record<string, number[][]> = {
    k: [[sig6(NOMINAL.k * r)]],
    m: [[sig6(NOMINAL.m * r)]],
    delta: [NOMINAL.delta.map((d) => sig6(d * r))],
    sigma_obs: [[sig6(NOMINAL.sigmaObs * r)]],
    beta: [[...NOMINAL.betaYearly, ...NOMINAL.betaWeekly].map((b) => sig6(b * r))],
  };
  const model = exportShell(frame, params, yScale);
  const trend = frame.t.map((t) => prophetTrend(model, t));
  const mu = frame.ds.map((d, i) => (trend[i] as number) + prophetSeasonality(model, d));
  const yScaled = y.map((v) => v / yScale);
  const lp = sig6(logPosterior(params, yScaled, mu));
  // Key order of cmdstanpy's optimize output: lp__ first, then the Stan parameters.
  model.params = { lp__: [[lp]], ...params, trend: [trend.map(sig6)] };
  return { json: serialize(frame, y, model), model, history: { ds: frame.ds, y } };
}

function floats2d(rows: number[][]): PyJson {
  return rows.map((row) => row.map(pyFloat));
}

function serialize(frame: Omit<Frame, "y">, y: number[], model: ProphetExport): string {
  const dates = frame.ds.map(pandasIsoDate);
  const seasonality = (s: { period: number; order: number }): PyJson => ({
    period: Number.isInteger(s.period) ? s.period : pyFloat(s.period),
    fourier_order: s.order,
    prior_scale: pyFloat(10),
    mode: "additive",
    condition_name: null,
  });
  const yearlyRows = 2 * YEARLY.order;
  const componentRows = yearlyRows + 2 * WEEKLY.order;
  const rowsOf = (f: (i: number) => number) => Array.from({ length: componentRows }, (_, i) => f(i));
  // Keys and their order follow prophet/serialize.py (1.1.5): SIMPLE_ATTRIBUTES, PD_SERIES,
  // PD_TIMESTAMP, PD_TIMEDELTA, PD_DATAFRAME, NP_ARRAY, ORDEREDDICT, fit_kwargs, params.
  const out: PyJson = {
    growth: "linear",
    n_changepoints: N_CHANGEPOINTS,
    specified_changepoints: false,
    changepoint_range: pyFloat(CHANGEPOINT_RANGE),
    yearly_seasonality: "auto",
    weekly_seasonality: "auto",
    daily_seasonality: "auto",
    seasonality_mode: "additive",
    seasonality_prior_scale: pyFloat(10),
    changepoint_prior_scale: pyFloat(0.05),
    holidays_prior_scale: pyFloat(10),
    mcmc_samples: 0,
    interval_width: pyFloat(0.8),
    uncertainty_samples: 1000,
    y_scale: pyFloat(model.y_scale),
    y_min: pyFloat(0),
    scaling: "absmax",
    logistic_floor: false,
    country_holidays: null,
    component_modes: {
      additive: ["yearly", "weekly", "additive_terms", "extra_regressors_additive", "holidays"],
      multiplicative: ["multiplicative_terms", "extra_regressors_multiplicative"],
    },
    holidays_mode: "additive",
    changepoints: seriesSplitJson(
      "ds",
      frame.changepointIdx,
      frame.changepointIdx.map((i) => dates[i] as string),
    ),
    history_dates: seriesSplitJson(
      "ds",
      dates.map((_, i) => i),
      dates,
    ),
    train_holiday_names: null,
    start: pyFloat(START),
    t_scale: pyFloat(frame.tScale),
    holidays: null,
    history: frameTableJson([
      { name: "ds", type: "datetime", values: dates },
      { name: "y", type: "number", values: y.map((v) => new PdFloat(v)) },
      { name: "floor", type: "integer", values: y.map(() => 0) },
      { name: "t", type: "number", values: frame.t.map((v) => new PdFloat(v)) },
      { name: "y_scaled", type: "number", values: y.map((v) => new PdFloat(v / model.y_scale)) },
    ]),
    // pandas.crosstab sorts component names; multiplicative_terms is appended when absent.
    train_component_cols: frameTableJson([
      { name: "additive_terms", type: "integer", values: rowsOf(() => 1) },
      { name: "weekly", type: "integer", values: rowsOf((i) => (i >= yearlyRows ? 1 : 0)) },
      { name: "yearly", type: "integer", values: rowsOf((i) => (i < yearlyRows ? 1 : 0)) },
      { name: "multiplicative_terms", type: "integer", values: rowsOf(() => 0) },
    ]),
    changepoints_t: frame.changepointsT.map(pyFloat),
    seasonalities: [
      [YEARLY.name, WEEKLY.name],
      { [YEARLY.name]: seasonality(YEARLY), [WEEKLY.name]: seasonality(WEEKLY) },
    ],
    extra_regressors: [[], {}],
    fit_kwargs: {},
    params: Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, floats2d(v)])),
    __prophet_version: "1.1.5",
  };
  return pyJsonDumps(out);
}

/** Example forecasts the build prints, for comparison with Prophet's own predict(). */
export function salesForecastExamples(model: ProphetExport): { date: string; yhat: number }[] {
  return ["2024-01-01", "2024-01-07", "2024-06-30"].map((date) => ({
    date,
    yhat: prophetYhat(model, Date.parse(`${date}T00:00:00Z`) / 1000),
  }));
}
