/**
 * UK public-sector financial years run 1 April to 31 March, named by both calendar years
 * ("2026/27"), with period 1 = April through period 12 = March (domain.md §6). Everything here
 * is string and integer arithmetic on the calendar date as written: no `Date`, so no time
 * zone or daylight-saving shift can move a posting into the wrong period.
 */

export type FinancialPeriod = {
  /** The year's name, e.g. '2026/27'. */
  financialYear: string;
  /** The calendar year in which the financial year starts (its April), e.g. 2026. */
  financialYearStart: number;
  /** 1 for April through 12 for March. */
  period: number;
};

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Splits a strict `YYYY-MM-DD` calendar date into numbers, or null if no such day exists. */
export function parseIsoDate(isoDate: string): { year: number; month: number; day: number } | null {
  const match = isoDatePattern.exec(isoDate);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** True for a real calendar day written as `YYYY-MM-DD` (so '2026-02-30' is false). */
export function isIsoDate(isoDate: string): boolean {
  return parseIsoDate(isoDate) !== null;
}

/** The financial year and period of a posting date; a malformed or impossible date throws. */
export function financialPeriodOf(isoDate: string): FinancialPeriod {
  const date = parseIsoDate(isoDate);
  if (date === null) {
    throw new RangeError(`Expected a real date as YYYY-MM-DD; got "${isoDate}"`);
  }
  const financialYearStart = date.month >= 4 ? date.year : date.year - 1;
  const period = date.month >= 4 ? date.month - 3 : date.month + 9;
  const endYearSuffix = String((financialYearStart + 1) % 100).padStart(2, '0');
  return { financialYear: `${financialYearStart}/${endYearSuffix}`, financialYearStart, period };
}
