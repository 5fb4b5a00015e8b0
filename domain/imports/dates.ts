import { digitsToInteger } from './decimal';

/**
 * Calendar dates in the layouts income files use, read digit by digit (no regex, no Date
 * object, no time zone) into YYYY-MM-DD. Two-digit years are 2000–2099: these are files
 * about payments made this week, and a 19xx date in one is an error either way.
 */
export type FileDateFormat =
  | 'YYYY-MM-DD'
  | 'DD/MM/YYYY'
  | 'DD-MM-YYYY'
  | 'DD/MM/YY'
  | 'YYYYMMDD'
  | 'DDMMYY'
  | 'YYMMDD';

type Layout = {
  length: number;
  year: [number, number];
  month: number;
  day: number;
  /** Positions that must hold a separator, and which one. */
  separators: readonly (readonly [number, string])[];
};

const layouts: Record<FileDateFormat, Layout> = {
  'YYYY-MM-DD': {
    length: 10,
    year: [0, 4],
    month: 5,
    day: 8,
    separators: [
      [4, '-'],
      [7, '-'],
    ],
  },
  'DD/MM/YYYY': {
    length: 10,
    year: [6, 4],
    month: 3,
    day: 0,
    separators: [
      [2, '/'],
      [5, '/'],
    ],
  },
  'DD-MM-YYYY': {
    length: 10,
    year: [6, 4],
    month: 3,
    day: 0,
    separators: [
      [2, '-'],
      [5, '-'],
    ],
  },
  'DD/MM/YY': {
    length: 8,
    year: [6, 2],
    month: 3,
    day: 0,
    separators: [
      [2, '/'],
      [5, '/'],
    ],
  },
  YYYYMMDD: { length: 8, year: [0, 4], month: 4, day: 6, separators: [] },
  DDMMYY: { length: 6, year: [4, 2], month: 2, day: 0, separators: [] },
  YYMMDD: { length: 6, year: [0, 2], month: 2, day: 4, separators: [] },
};

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Joins a checked year, month and day into YYYY-MM-DD; null if no such day exists. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}`;
}

/**
 * Reads `text[start, start + length of format)` as a date; null if it is not a real day in
 * that layout. Callers pass the whole field, so trailing characters are their business.
 */
export function parseFileDate(text: string, format: FileDateFormat, start = 0): string | null {
  const layout = layouts[format];
  for (const [offset, separator] of layout.separators) {
    if (text.charAt(start + offset) !== separator) return null;
  }
  const [yearOffset, yearLength] = layout.year;
  const yearDigits = digitsToInteger(text, start + yearOffset, start + yearOffset + yearLength);
  const month = digitsToInteger(text, start + layout.month, start + layout.month + 2);
  const day = digitsToInteger(text, start + layout.day, start + layout.day + 2);
  if (yearDigits === null || month === null || day === null) return null;
  return isoDate(yearLength === 2 ? 2000 + yearDigits : yearDigits, month, day);
}

/** The length of a date written in `format`. */
export function fileDateLength(format: FileDateFormat): number {
  return layouts[format].length;
}

/** Writes a YYYY-MM-DD date in `format`; the generator uses it to write files. */
export function formatFileDate(iso: string, format: FileDateFormat): string {
  const year = iso.slice(0, 4);
  const month = iso.slice(5, 7);
  const day = iso.slice(8, 10);
  switch (format) {
    case 'YYYY-MM-DD':
      return iso;
    case 'DD/MM/YYYY':
      return `${day}/${month}/${year}`;
    case 'DD-MM-YYYY':
      return `${day}-${month}-${year}`;
    case 'DD/MM/YY':
      return `${day}/${month}/${year.slice(2)}`;
    case 'YYYYMMDD':
      return `${year}${month}${day}`;
    case 'DDMMYY':
      return `${day}${month}${year.slice(2)}`;
    case 'YYMMDD':
      return `${year.slice(2)}${month}${day}`;
  }
}
