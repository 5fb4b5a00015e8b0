// Proves business dates follow UK local time across midnight and the clock changes.
import { describe, expect, it } from 'vitest';
import { businessDateOf } from '../../domain/businessDate';
import { financialPeriodOf } from '../../domain/financialPeriod';

describe('businessDateOf', () => {
  it.each([
    ['2026-03-31T23:30:00Z', '2026-04-01'], // BST: already 00:30 on 1 April
    ['2026-01-15T23:30:00Z', '2026-01-15'], // GMT: still the 15th
    ['2026-10-25T00:30:00Z', '2026-10-25'], // the night the clocks go back
    ['2026-03-29T00:59:59Z', '2026-03-29'], // the night the clocks go forward
  ])('%s is business day %s', (instant, day) => {
    expect(businessDateOf(Date.parse(instant))).toBe(day);
  });

  it('puts a payment just after midnight BST on 1 April into period 1 of the new year', () => {
    expect(financialPeriodOf(businessDateOf(Date.parse('2026-03-31T23:30:00Z')))).toMatchObject({
      financialYear: '2026/27',
      period: 1,
    });
  });
});
