/**
 * Dates as whole day numbers (days since 1970-01-01), parsed straight from YYYY-MM-DD
 * characters. Two million dates go through here per run, so no Date objects and no regex.
 */

const zeroCode = 48;

function digitAt(text: string, index: number): number {
  const digit = text.charCodeAt(index) - zeroCode;
  if (digit < 0 || digit > 9) throw new RangeError(`Expected a YYYY-MM-DD date; got "${text}"`);
  return digit;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const monthLengthsDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Day number of a YYYY-MM-DD date; anything else (or 2025-02-30) is a programmer error. */
export function dayNumber(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    throw new RangeError(`Expected a YYYY-MM-DD date; got "${date}"`);
  }
  const year =
    digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3);
  const month = digitAt(date, 5) * 10 + digitAt(date, 6);
  const day = digitAt(date, 8) * 10 + digitAt(date, 9);
  const monthLengthDays = month === 2 && isLeapYear(year) ? 29 : (monthLengthsDays[month - 1] ?? 0);
  if (day < 1 || day > monthLengthDays) {
    throw new RangeError(`Expected a YYYY-MM-DD date; got "${date}"`);
  }
  return daysFromCivil(year, month, day);
}

/**
 * Howard Hinnant's days-from-civil: counts in 400-year eras shifted to start in March, so the
 * leap day falls at the end of the shifted year and needs no special case.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
