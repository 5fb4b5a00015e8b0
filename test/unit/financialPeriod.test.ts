// Proves posting dates map to the UK public-sector financial year (1 April–31 March) and its
// periods 1–12, at the year's edges and for every real date, and that impossible dates are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { financialPeriodOf, isIsoDate } from '../../domain/financialPeriod';

describe('financialPeriodOf', () => {
  it.each([
    ['2026-04-01', '2026/27', 2026, 1],
    ['2026-04-30', '2026/27', 2026, 1],
    ['2026-05-01', '2026/27', 2026, 2],
    ['2026-12-31', '2026/27', 2026, 9],
    ['2027-01-01', '2026/27', 2026, 10],
    ['2027-03-31', '2026/27', 2026, 12],
    ['2026-03-31', '2025/26', 2025, 12],
    ['2024-02-29', '2023/24', 2023, 11],
    ['2099-06-15', '2099/00', 2099, 3],
    ['2000-01-01', '1999/00', 1999, 10],
    ['2009-04-01', '2009/10', 2009, 1],
  ])('%s is %s period %i', (isoDate, financialYear, financialYearStart, period) => {
    expect(financialPeriodOf(isoDate)).toEqual({ financialYear, financialYearStart, period });
  });

  it.each([
    '2026-02-30',
    '2023-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-01',
    '26-01-01',
    ' 2026-04-01',
    '2026-04-01T00:00:00Z',
    '2026/04/01',
    '',
  ])('refuses %j', (isoDate) => {
    expect(isIsoDate(isoDate)).toBe(false);
    expect(() => financialPeriodOf(isoDate)).toThrow(RangeError);
  });

  it('accepts leap days exactly when the Gregorian rules say so', () => {
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
  });

  it('agrees with a calendar oracle for every day from 1900 to 2200', () => {
    const day = fc.integer({
      min: Date.UTC(1900, 0, 1) / 86_400_000,
      max: Date.UTC(2200, 11, 31) / 86_400_000,
    });
    fc.assert(
      fc.property(day, (dayNumber) => {
        // Date is used only here, in the test, as an independent oracle on UTC calendar days.
        const isoDate = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
        const year = Number(isoDate.slice(0, 4));
        const month = Number(isoDate.slice(5, 7));
        const result = financialPeriodOf(isoDate);
        expect(result.period).toBe(((month + 8) % 12) + 1);
        expect(result.financialYearStart).toBe(month >= 4 ? year : year - 1);
        expect(result.financialYear.startsWith(`${result.financialYearStart}/`)).toBe(true);
      }),
    );
  });
});
