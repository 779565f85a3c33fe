/**
 * Naive timestamps as Prophet sees them: no time zone, read and written as UTC wall-clock time,
 * held as milliseconds since 1970-01-01 (pandas holds nanoseconds; sub-millisecond parts are
 * dropped, which no daily or hourly model notices).
 */

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

// pandas' nanosecond Timestamp covers 1677-09-21 .. 2262-04-11; stay inside whole years of it.
const MIN_YEAR = 1678;
const MAX_YEAR = 2261;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]00:?00)?$/;

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` or the same with `T`, optionally ending in
 * `Z` or `+00:00` (UTC is the only zone that means the same as a naive date). Returns
 * milliseconds since the epoch, or `undefined` for anything else, including impossible dates
 * such as 2021-02-30 and years outside what pandas can hold.
 *
 * @example
 * parseNaiveDate("2020-01-30"); // 1580342400000
 * parseNaiveDate("2020-01-30T12:00:00"); // 1580385600000
 * parseNaiveDate("2021-02-30"); // undefined
 */
export function parseNaiveDate(text: string): number | undefined {
  const match = ISO_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, "0").slice(0, 3));
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/**
 * Formats a timestamp the way the forecast output shows it: the date alone at midnight,
 * otherwise date and time (with milliseconds only when there are some). No zone suffix: the
 * value is naive, like Prophet's.
 *
 * @example
 * formatNaiveDate(1580342400000); // "2020-01-30"
 * formatNaiveDate(1580385600000); // "2020-01-30T12:00:00"
 */
export function formatNaiveDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2020-01-30T12:00:00.000Z
  if (ms % MS_PER_DAY === 0) return iso.slice(0, 10);
  return iso.endsWith(".000Z") ? iso.slice(0, 19) : iso.slice(0, 23);
}

/**
 * Number of days in a month of the proleptic Gregorian calendar (month 1..12).
 *
 * @example
 * daysInMonth(2020, 2); // 29
 */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Whole days since 1970-01-01 of the calendar date of `ms` (pandas' `ds.dt.date`).
 *
 * @example
 * dayNumber(Date.UTC(1970, 0, 2, 15)); // 1
 */
export function dayNumber(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}
