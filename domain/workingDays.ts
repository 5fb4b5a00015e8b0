import { businessDateOf } from './businessDate';
import { parseIsoDate } from './financialPeriod';

/**
 * Working days in England and Wales: Monday to Friday, except bank holidays. The regular bank
 * holidays are computed for any year from the rules in the Banking and Financial Dealings Act
 * 1971 and the annual proclamations' usual pattern, so no list needs updating each year:
 * New Year's Day, Good Friday and Easter Monday (Easter by the Gregorian computus), the early
 * May bank holiday (first Monday), the spring (last Monday of May) and summer (last Monday of
 * August) bank holidays, Christmas Day and Boxing Day, with weekday substitutes.
 *
 * One-off proclamations (jubilees, royal events, a moved early May) cannot be computed; they
 * are listed in `proclaimedChanges` and must be added when one is announced.
 *
 * Arithmetic is on day numbers (days since 1970-01-01) of the calendar date as written, never
 * on local times, so no time zone or clock change can move a working day.
 */

const dayMs = 86_400_000;

function dayNumberOf(isoDate: string): number {
  const date = parseIsoDate(isoDate);
  if (date === null) throw new RangeError(`Expected a real date as YYYY-MM-DD; got "${isoDate}"`);
  return Date.UTC(date.year, date.month - 1, date.day) / dayMs;
}

function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * dayMs).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / dayMs;
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDateOf(dayOf(year, month, day));
}

function firstMonday(year: number, month: number): number {
  const first = dayOf(year, month, 1);
  return first + ((8 - weekdayOf(first)) % 7);
}

function lastMonday(year: number, month: number): number {
  const last = dayOf(year, month + 1, 1) - 1;
  return last - ((weekdayOf(last) + 6) % 7);
}

/** Christmas and Boxing Day, each moved to the next free weekday when it falls at a weekend. */
function christmasDays(year: number): number[] {
  const christmas = dayOf(year, 12, 25);
  switch (weekdayOf(christmas)) {
    case 5: // Friday: Boxing Day (Saturday) moves to Monday 28th.
      return [christmas, christmas + 3];
    case 6: // Saturday: both move, to Monday 27th and Tuesday 28th.
      return [christmas + 2, christmas + 3];
    case 0: // Sunday: Boxing Day is Monday 26th; Christmas moves to Tuesday 27th.
      return [christmas + 1, christmas + 2];
    default:
      return [christmas, christmas + 1];
  }
}

function newYearsDay(year: number): number {
  const day = dayOf(year, 1, 1);
  const weekday = weekdayOf(day);
  return weekday === 6 ? day + 2 : weekday === 0 ? day + 1 : day;
}

/** Proclaimed exceptions since 1995: a regular holiday moved, or an extra one added. */
const proclaimedChanges: Record<number, { moved?: [string, string][]; added?: string[] }> = {
  1995: { moved: [['1995-05-01', '1995-05-08']] },
  1999: { added: ['1999-12-31'] },
  2002: { moved: [['2002-05-27', '2002-06-04']], added: ['2002-06-03'] },
  2011: { added: ['2011-04-29'] },
  2012: { moved: [['2012-05-28', '2012-06-04']], added: ['2012-06-05'] },
  2020: { moved: [['2020-05-04', '2020-05-08']] },
  2022: { moved: [['2022-05-30', '2022-06-02']], added: ['2022-06-03', '2022-09-19'] },
  2023: { added: ['2023-05-08'] },
};

const holidayCache = new Map<number, readonly string[]>();

/** The bank holidays of England and Wales in one calendar year, in date order. */
export function englandAndWalesBankHolidays(year: number): readonly string[] {
  const cached = holidayCache.get(year);
  if (cached !== undefined) return cached;
  const easter = dayNumberOf(easterSunday(year));
  let dates = [
    newYearsDay(year),
    easter - 2,
    easter + 1,
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    ...christmasDays(year),
  ].map(isoDateOf);
  const changes = proclaimedChanges[year];
  for (const [from, to] of changes?.moved ?? []) dates = dates.map((d) => (d === from ? to : d));
  dates.push(...(changes?.added ?? []));
  const sorted = [...new Set(dates)].sort();
  holidayCache.set(year, sorted);
  return sorted;
}

export function isBankHoliday(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  return englandAndWalesBankHolidays(year).includes(isoDate);
}

export function isWorkingDay(isoDate: string): boolean {
  const weekday = weekdayOf(dayNumberOf(isoDate));
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(isoDate);
}

/** The date `count` working days after `isoDate` (which itself need not be a working day). */
export function addWorkingDays(isoDate: string, count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`Working days to add must be a whole number ≥ 0; got ${count}`);
  }
  let day = dayNumberOf(isoDate);
  let left = count;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(isoDateOf(day))) left -= 1;
  }
  return isoDateOf(day);
}

/** Working days after `fromIsoDate` up to and including `toIsoDate`; 0 when `to` is not later. */
export function workingDaysBetween(fromIsoDate: string, toIsoDate: string): number {
  const to = dayNumberOf(toIsoDate);
  let count = 0;
  for (let day = dayNumberOf(fromIsoDate) + 1; day <= to; day++) {
    if (isWorkingDay(isoDateOf(day))) count += 1;
  }
  return count;
}

/**
 * The instant a UK calendar day begins (00:00 in London), for timers that fire "on" a date.
 * London is UTC+0 or UTC+1 and clocks change at 01:00 UTC, so midnight is one of two instants.
 */
export function londonMidnightEpochMs(isoDate: string): number {
  const utcMidnight = dayNumberOf(isoDate) * dayMs;
  const oneHourEarlier = utcMidnight - 3_600_000;
  return businessDateOf(oneHourEarlier) === isoDate ? oneHourEarlier : utcMidnight;
}
