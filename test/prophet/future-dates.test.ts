/**
 * make_future_dataframe's dates: pandas.date_range from the last history date, anchored
 * frequencies rolled forward, the last history date itself left out.
 */
import { describe, expect, test } from "bun:test";
import { BadRequestError } from "../../src/errors/app-error.ts";
import { formatNaiveDate, parseNaiveDate } from "../../src/prophet/dates.ts";
import { futureDates, parseFrequency } from "../../src/prophet/future-dates.ts";
import { loadShared } from "./helpers.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

/** Future dates after `last` (ISO), formatted like the forecast output. */
function after(last: string, periods: number, freq: string): string[] {
  return futureDates(parseNaiveDate(last)!, periods, parseFrequency(freq)).map(formatNaiveDate);
}

describe("frequencies (2020-01-20 is a Monday)", () => {
  const cases: [string, string, number, string[]][] = [
    ["D", "2020-01-20", 3, ["2020-01-21", "2020-01-22", "2020-01-23"]],
    ["7D", "2020-01-20", 2, ["2020-01-27", "2020-02-03"]],
    ["H", "2020-01-20", 2, ["2020-01-20T01:00:00", "2020-01-20T02:00:00"]],
    ["h", "2020-01-20T23:00", 1, ["2020-01-21"]],
    ["15min", "2020-01-20", 2, ["2020-01-20T00:15:00", "2020-01-20T00:30:00"]],
    ["T", "2020-01-20", 1, ["2020-01-20T00:01:00"]],
    ["S", "2020-01-20", 1, ["2020-01-20T00:00:01"]],
    ["s", "2020-01-20", 1, ["2020-01-20T00:00:01"]],
    ["W", "2020-01-20", 2, ["2020-01-26", "2020-02-02"]],
    ["W", "2020-01-19", 2, ["2020-01-26", "2020-02-02"]],
    ["W-MON", "2020-01-20", 2, ["2020-01-27", "2020-02-03"]],
    ["2W-WED", "2020-01-20", 2, ["2020-01-22", "2020-02-05"]],
    ["B", "2020-01-24", 2, ["2020-01-27", "2020-01-28"]],
    ["B", "2020-01-25", 2, ["2020-01-27", "2020-01-28"]],
    ["MS", "2020-01-20", 2, ["2020-02-01", "2020-03-01"]],
    ["MS", "2020-02-01", 2, ["2020-03-01", "2020-04-01"]],
    ["2MS", "2020-01-20", 2, ["2020-02-01", "2020-04-01"]],
    ["M", "2020-01-20", 3, ["2020-01-31", "2020-02-29", "2020-03-31"]],
    ["ME", "2020-01-31", 2, ["2020-02-29", "2020-03-31"]],
    ["QS", "2020-01-20", 2, ["2020-04-01", "2020-07-01"]],
    ["QS", "2020-04-01", 1, ["2020-07-01"]],
    ["Q", "2020-01-20", 2, ["2020-03-31", "2020-06-30"]],
    ["QE", "2020-03-31", 2, ["2020-06-30", "2020-09-30"]],
    ["YS", "2020-01-20", 2, ["2021-01-01", "2022-01-01"]],
    ["AS", "2020-01-01", 1, ["2021-01-01"]],
    ["Y", "2020-01-20", 2, ["2020-12-31", "2021-12-31"]],
    ["YE", "2020-12-31", 1, ["2021-12-31"]],
    ["A", "2020-01-20", 1, ["2020-12-31"]],
  ];
  for (const [freq, last, periods, expected] of cases) {
    test(`${freq} after ${last}`, () => {
      expect(after(last, periods, freq)).toEqual(expected);
    });
  }

  test("anchored frequencies keep the time of day, as pandas does without normalize", () => {
    expect(after("2020-01-20T10:00", 2, "MS")).toEqual(["2020-02-01T10:00:00", "2020-03-01T10:00:00"]);
    expect(after("2020-01-31T10:00", 1, "M")).toEqual(["2020-02-29T10:00:00"]);
  });
});

describe("unsupported frequencies", () => {
  for (const freq of ["X", "0D", "ms", "", "D-MON", "W-XYZ", "12345D", "1.5H"]) {
    test(`"${freq}" is a 400 that names it`, () => {
      let error: unknown;
      try {
        parseFrequency(freq);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).message).toStartWith(`freq "${freq}" is not supported`);
    });
  }
});

describe("ProphetForecaster.makeFutureDates", () => {
  sharedFixtures.test("with and without the history", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(forecaster.makeFutureDates(2, "D", false)).toEqual(["2020-01-21", "2020-01-22"]);
    const withHistory = forecaster.makeFutureDates(2, "D", true);
    expect(withHistory).toHaveLength(22);
    expect(withHistory[0]).toBe("2020-01-01");
    expect(withHistory.at(-1)).toBe("2020-01-22");
  });

  sharedFixtures.test("periods must be a non-negative integer", async () => {
    const forecaster = await loadShared("serialized_model_v1.0.1.json");
    expect(() => forecaster.makeFutureDates(-1, "D", false)).toThrow(BadRequestError);
    expect(() => forecaster.makeFutureDates(1.5, "D", false)).toThrow(BadRequestError);
    expect(forecaster.makeFutureDates(0, "D", false)).toEqual([]);
  });
});

describe("dates", () => {
  test("accepted forms", () => {
    expect(parseNaiveDate("2020-01-30")).toBe(Date.UTC(2020, 0, 30));
    expect(parseNaiveDate("2020-01-30 12:30")).toBe(Date.UTC(2020, 0, 30, 12, 30));
    expect(parseNaiveDate("2020-01-30T12:30:15.250")).toBe(Date.UTC(2020, 0, 30, 12, 30, 15, 250));
    expect(parseNaiveDate("2020-10-01T00:00:00.000Z")).toBe(Date.UTC(2020, 9, 1));
    expect(parseNaiveDate("2020-10-01T00:00:00.123456789")).toBe(Date.UTC(2020, 9, 1, 0, 0, 0, 123));
  });

  test("rejected forms", () => {
    for (const bad of ["2021-02-30", "2020-13-01", "2020-01-01T24:00", "20200101", "01/02/2020", "2020-01-01T00:00+02:00", "1500-01-01", "yesterday"]) {
      expect(parseNaiveDate(bad)).toBeUndefined();
    }
  });

  test("output: the date alone at midnight, with the time otherwise", () => {
    expect(formatNaiveDate(Date.UTC(2020, 0, 30))).toBe("2020-01-30");
    expect(formatNaiveDate(Date.UTC(2020, 0, 30, 6))).toBe("2020-01-30T06:00:00");
    expect(formatNaiveDate(Date.UTC(2020, 0, 30, 6, 0, 0, 5))).toBe("2020-01-30T06:00:00.005");
  });
});
