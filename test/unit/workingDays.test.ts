// Proves the computed England and Wales bank holidays match the published dates for 2025–2027
// (and the proclaimed exceptions), and that working-day arithmetic skips weekends and holidays.
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  easterSunday,
  englandAndWalesBankHolidays,
  isWorkingDay,
  londonMidnightEpochMs,
  workingDaysBetween,
} from '../../domain/workingDays';

describe('England and Wales bank holidays', () => {
  it('match the published dates for 2025', () => {
    expect(englandAndWalesBankHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-04-18',
      '2025-04-21',
      '2025-05-05',
      '2025-05-26',
      '2025-08-25',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  it('match the published dates for 2026, with Boxing Day substituted on Monday 28th', () => {
    expect(englandAndWalesBankHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ]);
  });

  it('match the published dates for 2027, with both Christmas days substituted', () => {
    expect(englandAndWalesBankHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ]);
  });

  it('substitutes New Year and Christmas on a Sunday', () => {
    // 2023: New Year's Day was a Sunday; 2022: Christmas Day was a Sunday.
    expect(englandAndWalesBankHolidays(2023)).toContain('2023-01-02');
    expect(englandAndWalesBankHolidays(2022)).toEqual(
      expect.arrayContaining(['2022-12-26', '2022-12-27']),
    );
  });

  it('applies proclaimed changes that no rule can compute', () => {
    const holidays2022 = englandAndWalesBankHolidays(2022);
    expect(holidays2022).toEqual(
      expect.arrayContaining(['2022-06-02', '2022-06-03', '2022-09-19']),
    );
    expect(holidays2022).not.toContain('2022-05-30');
    expect(englandAndWalesBankHolidays(2023)).toContain('2023-05-08');
    expect(englandAndWalesBankHolidays(2020)).toContain('2020-05-08');
    expect(englandAndWalesBankHolidays(2020)).not.toContain('2020-05-04');
  });

  it('computes Easter for known years, including the earliest and latest dates', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });
});

describe('working days', () => {
  it('are weekdays that are not bank holidays', () => {
    expect(isWorkingDay('2025-12-24')).toBe(true);
    expect(isWorkingDay('2025-12-25')).toBe(false);
    expect(isWorkingDay('2025-12-27')).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
  });

  it('add across a weekend and the Easter holidays', () => {
    expect(addWorkingDays('2025-04-17', 0)).toBe('2025-04-17');
    expect(addWorkingDays('2025-04-17', 1)).toBe('2025-04-22');
    expect(addWorkingDays('2025-04-17', 5)).toBe('2025-04-28');
    // Christmas 2027: Friday 24th, then both substitutes, then the 29th.
    expect(addWorkingDays('2027-12-24', 1)).toBe('2027-12-29');
  });

  it('count what addWorkingDays adds, and nothing backwards', () => {
    expect(workingDaysBetween('2025-04-17', '2025-04-28')).toBe(5);
    expect(workingDaysBetween('2025-04-28', '2025-04-17')).toBe(0);
    expect(workingDaysBetween('2025-12-24', '2026-01-02')).toBe(4);
  });

  it('refuse a negative count or an impossible date', () => {
    expect(() => addWorkingDays('2025-01-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('begin at London midnight in winter and in summer time', () => {
    expect(new Date(londonMidnightEpochMs('2026-01-15')).toISOString()).toBe(
      '2026-01-15T00:00:00.000Z',
    );
    expect(new Date(londonMidnightEpochMs('2026-07-15')).toISOString()).toBe(
      '2026-07-14T23:00:00.000Z',
    );
  });
});
