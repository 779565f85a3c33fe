/**
 * Future dates as Prophet's make_future_dataframe builds them with pandas.date_range: from the
 * last history date, `periods + 1` dates of the frequency (anchored frequencies first roll
 * forward to their next anchor), dates not after the last history date dropped, the first
 * `periods` kept. Time of day is kept, as pandas does without `normalize`.
 *
 * Supported pandas aliases, each with an optional multiple ("7D", "15min", "2W"):
 * D (day), H or h (hour), T or min (minute), S or s (second), B (business day),
 * W (= W-SUN) and W-MON … W-SUN (week ending on that day), MS (month start), M or ME (month end),
 * QS (quarter start, Jan/Apr/Jul/Oct), Q or QE (quarter end, Mar/Jun/Sep/Dec),
 * YS or AS (year start), Y, YE or A (year end). Anything else is a 400 that names it.
 */
import { BadRequestError } from "../errors/app-error.ts";
import { daysInMonth, MS_PER_DAY } from "./dates.ts";

/** A parsed frequency: how to reach the first date and how to step from one date to the next. */
export interface Frequency {
  /** The alias as given. */
  alias: string;
  /** First date of the range starting at `ms` (pandas' rollforward; itself when on an anchor). */
  first(ms: number): number;
  /** The date one step (times the multiple) after an anchored date. */
  next(ms: number): number;
}

/** The aliases this module understands, for documentation and error messages. */
export const SUPPORTED_FREQUENCIES = [
  "D", "H", "h", "T", "min", "S", "s", "B", "W", "W-MON", "W-TUE", "W-WED", "W-THU", "W-FRI",
  "W-SAT", "W-SUN", "MS", "M", "ME", "QS", "Q", "QE", "YS", "AS", "Y", "YE", "A",
] as const;

const TICKS: Record<string, number> = {
  D: MS_PER_DAY, H: 3_600_000, h: 3_600_000, T: 60_000, min: 60_000, S: 1000, s: 1000,
};
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]; // JS getUTCDay order

/**
 * Parses a pandas frequency alias.
 *
 * @example
 * parseFrequency("MS").first(Date.UTC(2020, 0, 20)); // Date.UTC(2020, 1, 1)
 * parseFrequency("7D"); // weekly steps without an anchor
 */
export function parseFrequency(alias: string): Frequency {
  const match = /^(\d{0,4})([A-Za-z]+(?:-[A-Za-z]{3})?)$/.exec(alias);
  const multiple = match?.[1] ? Number(match[1]) : 1;
  const base = match?.[2] ?? "";
  const tick = Object.hasOwn(TICKS, base) ? TICKS[base] : undefined;
  if (match && multiple >= 1) {
    if (tick !== undefined) return { alias, first: (ms) => ms, next: (ms) => ms + multiple * tick };
    const anchored = anchoredFrequency(base, multiple);
    if (anchored) return { alias, ...anchored };
  }
  throw new BadRequestError(
    `freq "${alias.slice(0, 20)}" is not supported; use one of ` +
      `${SUPPORTED_FREQUENCIES.join(", ")} (optionally with a multiple, like 7D)`,
  );
}

/**
 * The first `periods` dates of the frequency strictly after `lastMs`.
 *
 * @example
 * futureDates(Date.UTC(2020, 0, 20), 2, parseFrequency("D")); // Jan 21 and Jan 22, 2020
 */
export function futureDates(lastMs: number, periods: number, freq: Frequency): number[] {
  const dates: number[] = [];
  let current = freq.first(lastMs);
  for (let i = 0; i <= periods; i++) {
    if (current > lastMs && dates.length < periods) dates.push(current);
    current = freq.next(current);
  }
  return dates;
}

function anchoredFrequency(base: string, n: number): Omit<Frequency, "alias"> | undefined {
  switch (base) {
    case "MS":
      return monthly(1, n, (month) => month, true);
    case "M":
    case "ME":
      return monthly(1, n, (month) => month, false);
    case "QS":
      return monthly(3, n, (month) => month + ((3 - ((month - 1) % 3)) % 3), true);
    case "Q":
    case "QE":
      return monthly(3, n, (month) => month + ((3 - (month % 3)) % 3), false);
    case "YS":
    case "AS":
      return monthly(12, n, (month) => month + ((13 - month) % 12), true);
    case "Y":
    case "YE":
    case "A":
      return monthly(12, n, () => 12, false);
    case "B":
      return businessDays(n);
  }
  if (base === "W") return weekly(0, n);
  const day = base.startsWith("W-") ? WEEKDAYS.indexOf(base.slice(2)) : -1;
  return day >= 0 ? weekly(day, n) : undefined;
}

/**
 * Month-based anchors. `anchorMonth(month)` gives the first anchor month at or after `month`
 * (it may pass 12 into the next year); `atStart` picks day 1, otherwise the month's last day.
 */
function monthly(
  stepMonths: number,
  n: number,
  anchorMonth: (month: number) => number,
  atStart: boolean,
): Omit<Frequency, "alias"> {
  const anchorDay = (year: number, month: number) => (atStart ? 1 : daysInMonth(year, month));
  const at = (year: number, month: number, time: number): number => {
    const y = year + Math.floor((month - 1) / 12);
    const m = ((((month - 1) % 12) + 12) % 12) + 1;
    return Date.UTC(y, m - 1, anchorDay(y, m)) + time;
  };
  return {
    first(ms) {
      const d = new Date(ms);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth() + 1;
      const time = ms - Date.UTC(year, month - 1, d.getUTCDate());
      const target = anchorMonth(month);
      const candidate = at(year, target, time);
      // Past this month's anchor (a month-start anchor once day 1 is gone): the next anchor.
      return candidate >= ms ? candidate : at(year, target + stepMonths, time);
    },
    next(ms) {
      const d = new Date(ms);
      const time = ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return at(d.getUTCFullYear(), d.getUTCMonth() + 1 + stepMonths * n, time);
    },
  };
}

function weekly(weekday: number, n: number): Omit<Frequency, "alias"> {
  return {
    first: (ms) => ms + (((weekday - new Date(ms).getUTCDay() + 7) % 7) * MS_PER_DAY),
    next: (ms) => ms + 7 * n * MS_PER_DAY,
  };
}

function businessDays(n: number): Omit<Frequency, "alias"> {
  const isWeekend = (ms: number) => [0, 6].includes(new Date(ms).getUTCDay());
  return {
    first(ms) {
      let current = ms;
      while (isWeekend(current)) current += MS_PER_DAY;
      return current;
    },
    next(ms) {
      let current = ms;
      for (let step = 0; step < n; ) {
        current += MS_PER_DAY;
        if (!isWeekend(current)) step++;
      }
      return current;
    },
  };
}
