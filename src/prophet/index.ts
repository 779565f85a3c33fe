/**
 * Prophet exports (`prophet.serialize.model_to_json`) as forecasters in pure TypeScript: no
 * Python, no network. Point forecasts equal Prophet's; yhat_lower/yhat_upper come from a seeded
 * simulation that follows Prophet's and are statistically, not bitwise, equal to Prophet's.
 */
import { ProphetForecaster } from "./forecaster.ts";
import { parseProphetExport } from "./parse-export.ts";

export { ProphetForecaster, type ForecastPoint, type PredictOptions } from "./forecaster.ts";
export {
  parseForecastRequest,
  runForecastRequest,
  type ForecastRequest,
  type ForecastRequestOptions,
  type ForecastResponse,
} from "./forecast-request.ts";
export { SUPPORTED_FREQUENCIES } from "./future-dates.ts";
export type { ForecastRowInput } from "./input-rows.ts";
export { parseProphetExport } from "./parse-export.ts";
export { ProphetExportError } from "./prophet-error.ts";
export type { Growth, ProphetModel } from "./prophet-model.ts";
export type { ProphetSummary } from "./summary.ts";

/**
 * Loads the text of a Prophet export (plain or double-encoded JSON) into a forecaster. Throws a
 * {@link ProphetExportError} naming the missing or unusable fields when the export cannot be
 * used; the registry records that message and shows the model as failed.
 *
 * @example
 * const forecaster = loadProphetForecaster(await readFile("models/sales.json", "utf8"));
 * forecaster.predict([{ ds: "2021-01-01" }]);
 */
export function loadProphetForecaster(text: string): ProphetForecaster {
  return new ProphetForecaster(parseProphetExport(text));
}
