/**
 * Point forecasts straight from a Prophet model_to_json export (linear growth, additive
 * seasonalities, no holidays or regressors): how the export can be checked without Prophet.
 *
 *   t      = (unix_seconds − start) / t_scale
 *   trend  = (k + Σ_{t ≥ t_j} δ_j)·t + (m + Σ_{t ≥ t_j} −t_j·δ_j)          (t_j = changepoints_t)
 *   season = Σ_s Σ_{n=1..order_s} β·[sin(2πn·d/P_s), cos(2πn·d/P_s)],  d = unix_seconds / 86400
 *            (β in the order of `seasonalities`, sin before cos for each n)
 *   yhat   = (trend + season)·y_scale + floor     (scaling "absmax", floor 0 for linear growth)
 */

/** The parts of an export the point forecast needs. */
export interface ProphetExport {
  start: number;
  t_scale: number;
  y_scale: number;
  changepoints_t: number[];
  seasonalities: [string[], Record<string, { period: number; fourier_order: number; mode: string }>];
  params: Record<string, number[][]>;
}

function first(params: Record<string, number[][]>, name: string): number[] {
  const row = params[name]?.[0];
  if (!row) throw new Error(`params.${name} missing`);
  return row;
}

/** Scaled trend at t (Prophet's piecewise_linear). */
export function prophetTrend(model: ProphetExport, t: number): number {
  const [k] = first(model.params, "k") as [number];
  const [m] = first(model.params, "m") as [number];
  const delta = first(model.params, "delta");
  let slope = k;
  let offset = m;
  model.changepoints_t.forEach((tj, j) => {
    if (t >= tj) {
      slope += delta[j] as number;
      offset -= tj * (delta[j] as number);
    }
  });
  return slope * t + offset;
}

/** Scaled additive seasonality at a timestamp. */
export function prophetSeasonality(model: ProphetExport, unixSeconds: number): number {
  const beta = first(model.params, "beta");
  const d = unixSeconds / 86400;
  let i = 0;
  let sum = 0;
  for (const name of model.seasonalities[0]) {
    const s = model.seasonalities[1][name];
    if (!s || s.mode !== "additive") throw new Error(`only additive seasonalities are supported (${name})`);
    for (let n = 1; n <= s.fourier_order; n++) {
      const x = (2 * Math.PI * n * d) / s.period;
      sum += (beta[i++] as number) * Math.sin(x) + (beta[i++] as number) * Math.cos(x);
    }
  }
  return sum;
}

/** yhat at a timestamp (seconds since the epoch, UTC midnight for daily data). */
export function prophetYhat(model: ProphetExport, unixSeconds: number): number {
  const t = (unixSeconds - model.start) / model.t_scale;
  return (prophetTrend(model, t) + prophetSeasonality(model, unixSeconds)) * model.y_scale;
}
