import { t } from "elysia";

/**
 * POST /api/v1/models/{name}/forecast body. Checked in depth by the forecaster (every problem
 * is a 400 that names it), so the schema here documents more than it enforces.
 */
export const ForecastBodySchema = t.Unknown({
  description:
    'Either { "periods": 30, "freq": "D", "include_history": false } or { "rows": [{ "ds": "2021-01-01", "cap": 10, "<regressor>": 1.5 }] }; optional integer "seed" for the uncertainty simulation',
});

/** One forecast row: ds, yhat with its bounds, trend, then every component of the model. */
const ForecastPointSchema = t.Object(
  {
    ds: t.String(),
    yhat: t.Number(),
    yhat_lower: t.Number(),
    yhat_upper: t.Number(),
    trend: t.Number(),
  },
  { additionalProperties: t.Union([t.Number(), t.String()]) },
);

/** The forecast answer. */
export const ForecastResponseSchema = t.Object({
  model: t.String(),
  version: t.String(),
  forecast: t.Array(ForecastPointSchema),
});
