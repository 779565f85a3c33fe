/**
 * Holiday features, as Prophet's make_holiday_features builds them: one 0/1 column per holiday
 * and window offset, named `<holiday>_delim_<+|-><offset>` and sorted by name; a row gets 1 when
 * its calendar date is the holiday's date plus the offset.
 */
import type { HolidayOccurrence } from "./prophet-model.ts";

/** The holiday columns of a model and the days that switch them on. */
export interface HolidayColumns {
  /** Column names in Prophet's (sorted) order. */
  keys: string[];
  /** Holiday name of each column (the component it belongs to). */
  holidayOf: string[];
  /** Day number → indices (into keys) of the columns that are 1 on that day. */
  byDay: Map<number, number[]>;
}

/**
 * Lays out the holiday columns. The layout depends only on the holidays table, not on the
 * dates being forecast, so it is built once per model.
 *
 * @example
 * holidayColumns([{ holiday: "xmas", date: 18621, lowerWindow: -1, upperWindow: 0 }]).keys;
 * // ["xmas_delim_+0", "xmas_delim_-1"]
 */
export function holidayColumns(holidays: readonly HolidayOccurrence[]): HolidayColumns {
  const days = new Map<string, { holiday: string; days: number[] }>();
  for (const h of holidays) {
    for (let offset = h.lowerWindow; offset <= h.upperWindow; offset++) {
      const key = `${h.holiday}_delim_${offset >= 0 ? "+" : "-"}${Math.abs(offset)}`;
      let entry = days.get(key);
      if (!entry) {
        entry = { holiday: h.holiday, days: [] };
        days.set(key, entry);
      }
      if (h.date !== null) entry.days.push(h.date + offset);
    }
  }
  const keys = [...days.keys()].sort(compareCodePoints);
  const byDay = new Map<number, number[]>();
  keys.forEach((key, column) => {
    for (const day of days.get(key)!.days) {
      const columns = byDay.get(day);
      if (!columns) byDay.set(day, [column]);
      else if (!columns.includes(column)) columns.push(column);
    }
  });
  return { keys, holidayOf: keys.map((k) => days.get(k)!.holiday), byDay };
}

/**
 * Writes the holiday columns for rows whose calendar days are `dayNumbers`.
 *
 * @example
 * fillHolidays(layout, { matrix, width, column: 6 }, dayNumbers);
 */
export function fillHolidays(
  layout: HolidayColumns,
  target: { matrix: Float64Array; width: number; column: number },
  dayNumbers: Float64Array,
): void {
  const { matrix, width, column } = target;
  for (let r = 0; r < dayNumbers.length; r++) {
    const columns = layout.byDay.get(dayNumbers[r]!);
    if (!columns) continue;
    for (const c of columns) matrix[r * width + column + c] = 1;
  }
}

/** Python's string order (by code point), which sorted() uses for the column names. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}
