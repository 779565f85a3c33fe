/**
 * Loading: both file forms and version keys, and every way an export can be unusable. A bad
 * export always ends in a ProphetExportError whose message names what is wrong, never in a crash.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import {
  loadProphetForecaster,
  parseProphetExport,
  ProphetExportError,
} from "../../src/prophet/index.ts";
import { handObject, readText, SHARED_PROPHET } from "./helpers.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

/** Loads an export given as an object and returns the error it raises. */
function loadError(raw: unknown): ProphetExportError {
  try {
    loadProphetForecaster(typeof raw === "string" ? raw : JSON.stringify(raw));
  } catch (error) {
    expect(error).toBeInstanceOf(ProphetExportError);
    return error as ProphetExportError;
  }
  throw new Error("the export loaded, but it should have failed");
}

describe("file forms and version keys", () => {
  sharedFixtures.test("__fbprophet_version (before 1.0) and __prophet_version (after) are both read", async () => {
    const old = await readText(join(SHARED_PROPHET, "serialized_model_v0.7.1.json"));
    const recent = await readText(join(SHARED_PROPHET, "databricks_automl_prophet_v1.1.1.json"));
    expect(parseProphetExport(old).version).toBe("0.7.1");
    expect(parseProphetExport(recent).version).toBe("1.1.1");
  });

  sharedFixtures.test("the nested pandas JSON is parsed once into typed values", async () => {
    const model = parseProphetExport(
      await readText(join(SHARED_PROPHET, "databricks_automl_prophet_v1.1.1.json")),
    );
    expect(model.historyDates).toHaveLength(9);
    expect(model.historyDates[0]).toBe(Date.UTC(2020, 9, 1));
    expect(model.historyT.at(-1)).toBe(1);
    expect(model.componentColumns.names).toEqual(["additive_terms", "weekly", "multiplicative_terms"]);
    expect(model.startMs).toBe(Date.UTC(2020, 9, 1));
    expect(model.tScaleNs).toBe(24 * 86400e9);
  });

  test("a hand export, double-encoded, loads like the plain one", async () => {
    const raw = await handObject("holidays-regressors.json");
    const rows = [{ ds: "2020-12-25", temp: 20, promo: 1 }];
    const plain = loadProphetForecaster(JSON.stringify(raw)).predict(rows, { seed: 1 });
    const doubled = loadProphetForecaster(JSON.stringify(JSON.stringify(raw))).predict(rows, { seed: 1 });
    expect(doubled).toEqual(plain);
  });

  test("an export without a version key loads, with version unknown", async () => {
    const raw = await handObject("logistic-floor.json");
    delete raw.__prophet_version;
    expect(parseProphetExport(JSON.stringify(raw)).version).toBe("unknown");
  });
});

describe("unusable exports", () => {
  test("text that is not JSON", () => {
    expect(loadError("{not json").message).toBe("Prophet export is not valid JSON");
  });

  test("JSON that is not an object", () => {
    expect(loadError("[1, 2]").message).toContain("must be a JSON object");
    expect(loadError(JSON.stringify("42")).message).toContain("must be a JSON object");
  });

  test("missing fields are all named at once", async () => {
    const raw = await handObject("multiplicative-yearly.json");
    delete raw.y_scale;
    delete raw.history_dates;
    (raw.params as Record<string, unknown>).beta = undefined;
    delete (raw.params as Record<string, unknown>).sigma_obs;
    const error = loadError(raw);
    expect(error.message).toBe(
      "Prophet export is missing required fields: y_scale, history_dates, params.beta, params.sigma_obs",
    );
    expect(error.fields).toEqual(["y_scale", "history_dates", "params.beta", "params.sigma_obs"]);
    expect(error.status).toBe(422);
    expect(error.code).toBe("prophet_export_unusable");
  });

  test("a null field counts as missing", async () => {
    const raw = await handObject("logistic-floor.json");
    raw.t_scale = null;
    expect(loadError(raw).message).toBe("Prophet export is missing required fields: t_scale");
  });

  test('scaling "minmax" without y_min', async () => {
    const raw = await handObject("logistic-floor.json");
    raw.scaling = "minmax";
    expect(loadError(raw).message).toContain("missing required fields: y_min");
  });

  test("unknown growth is named", async () => {
    const raw = await handObject("logistic-floor.json");
    raw.growth = "exponential";
    const error = loadError(raw);
    expect(error.message).toBe(
      'Prophet export has an unknown growth "exponential": expected linear, logistic or flat',
    );
    expect(error.fields).toEqual(["growth"]);
  });

  test("MCMC draws that do not line up are refused, naming the counts", async () => {
    const raw = await handObject("mcmc-draws.json");
    (raw.params as Record<string, unknown>).beta = [[0], [0]];
    const error = loadError(raw);
    expect(error.message).toContain("MCMC export (mcmc_samples=300)");
    expect(error.message).toContain("k has 3, m has 3, delta has 3, beta has 2, sigma_obs has 3");
    expect(error.fields).toEqual(["params.beta"]);
  });

  test("MCMC draws holding NaN (null in JSON) are refused", async () => {
    const raw = await handObject("mcmc-draws.json");
    (raw.params as Record<string, unknown>).k = [[0.9], [null], [1.1]];
    const error = loadError(raw);
    expect(error.message).toContain("MCMC export");
    expect(error.message).toContain("params.k holds a value that is not a finite number");
  });

  test("delta draws that do not match changepoints_t", async () => {
    const raw = await handObject("logistic-floor.json");
    raw.changepoints_t = [0.25, 0.5];
    expect(loadError(raw).message).toContain("params.delta draw 0 has 1 values but changepoints_t has 2");
  });

  test("beta that does not fit the seasonalities, holidays and regressors", async () => {
    const raw = await handObject("multiplicative-yearly.json");
    (raw.params as Record<string, unknown>).beta = [[0.1, 0.2, 0.05, -0.04]];
    const error = loadError(raw);
    expect(error.message).toContain("make 6 feature columns, but params.beta has 4");
  });

  test("country holidays need Python's holiday calendar", async () => {
    const raw = await handObject("holidays-regressors.json");
    raw.country_holidays = "US";
    const error = loadError(raw);
    expect(error.fields).toEqual(["country_holidays"]);
    expect(error.message).toContain("country_holidays");
  });

  test("a nested pandas string that is not JSON names the field", async () => {
    const raw = await handObject("logistic-floor.json");
    raw.train_component_cols = "{oops";
    expect(loadError(raw).message).toBe("Prophet export field train_component_cols is not valid JSON");
  });

  test("a seasonality with a bad mode or order names the field", async () => {
    const raw = await handObject("multiplicative-yearly.json");
    const seasonalities = raw.seasonalities as [string[], Record<string, Record<string, unknown>>];
    seasonalities[1].monthly!.mode = "sideways";
    expect(loadError(raw).message).toContain("seasonalities.monthly.mode");
    seasonalities[1].monthly!.mode = "additive";
    seasonalities[1].yearly!.fourier_order = 0;
    expect(loadError(raw).message).toContain("seasonalities.yearly.fourier_order");
  });

  test("a regressor with std 0 names the field", async () => {
    const raw = await handObject("holidays-regressors.json");
    const regressors = raw.extra_regressors as [string[], Record<string, Record<string, unknown>>];
    regressors[1].temp!.std = 0;
    expect(loadError(raw).message).toContain("extra_regressors.temp.std");
  });

  test("a holiday row without a date names the row", async () => {
    const raw = await handObject("holidays-regressors.json");
    const table = JSON.parse(raw.holidays as string) as { data: Record<string, unknown>[] };
    table.data[1]!.ds = null;
    raw.holidays = JSON.stringify(table);
    expect(loadError(raw).message).toContain("holidays[1].ds");
  });

  test("interval_width outside (0, 1)", async () => {
    const raw = await handObject("logistic-floor.json");
    raw.interval_width = 80;
    expect(loadError(raw).message).toContain("interval_width must be between 0 and 1");
  });

  test("every problem is a ProphetExportError, whatever the shape of the JSON", async () => {
    const base = await handObject("multiplicative-yearly.json");
    for (const key of Object.keys(base)) {
      for (const value of [42, "text", [], {}, true]) {
        try {
          loadProphetForecaster(JSON.stringify({ ...base, [key]: value }));
        } catch (error) {
          if (!(error instanceof ProphetExportError)) {
            throw new Error(`${key} = ${JSON.stringify(value)} crashed: ${String(error)}`);
          }
        }
      }
    }
  });
});
