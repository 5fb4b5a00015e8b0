// Proves that pence stay exact integers: branding, summing, parsing typed pounds without
// floating point, formatting, and proportional splits that always add back to the total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateProportionally,
  formatPounds,
  parsePounds,
  pence,
  sumPence,
} from '../../domain/money';

describe('pence', () => {
  it('accepts safe integers, including zero and one penny', () => {
    expect(pence(0)).toBe(0);
    expect(pence(1)).toBe(1);
    expect(pence(-1)).toBe(-1);
    expect(pence(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('normalises negative zero to zero', () => {
    expect(Object.is(pence(-0), 0)).toBe(true);
  });

  it.each([0.5, 12.34, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %s',
    (value) => {
      expect(() => pence(value)).toThrow(RangeError);
    },
  );
});

describe('sumPence', () => {
  it('sums nothing to zero and adds exactly', () => {
    expect(sumPence([])).toBe(0);
    expect(sumPence([pence(1), pence(2), pence(-3)])).toBe(0);
    expect(sumPence([pence(10), pence(20)])).toBe(30);
  });

  it('refuses a total beyond the safe integer range', () => {
    expect(() => sumPence([pence(Number.MAX_SAFE_INTEGER), pence(1)])).toThrow(RangeError);
  });
});

describe('parsePounds', () => {
  it.each([
    ['12.34', 1234],
    ['12', 1200],
    ['12.3', 1230],
    ['-0.01', -1],
    ['0.01', 1],
    ['0', 0],
    ['0.00', 0],
    ['£12.34', 1234],
    ['-£5', -500],
    [' 12.34 ', 1234],
    ['007.50', 750],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('parses %j as %i pence', (text, expectedPence) => {
    expect(parsePounds(text)).toBe(expectedPence);
  });

  it('never returns negative zero', () => {
    expect(Object.is(parsePounds('-0'), 0)).toBe(true);
  });

  it.each([
    '',
    '   ',
    '1,234.56',
    '12.345',
    '1 2',
    '12 .34',
    '1e3',
    '1E3',
    '+1',
    '12.',
    '.5',
    'abc',
    '£',
    '--1',
    '12.34p',
    '0x10',
    '90071992547409.92',
    '99999999999999999999',
  ])('refuses %j', (text) => {
    expect(parsePounds(text)).toBeNull();
  });

  it('accepts thousand separators only when asked, and only in groups of three', () => {
    const options = { allowThousandsSeparators: true };
    expect(parsePounds('1,234.56', options)).toBe(123456);
    expect(parsePounds('£1,234,567', options)).toBe(123456700);
    expect(parsePounds('1234.56', options)).toBe(123456);
    expect(parsePounds('1,23.00', options)).toBeNull();
    expect(parsePounds('1234,567', options)).toBeNull();
    expect(parsePounds(',123', options)).toBeNull();
  });

  it('reads any pounds-and-pence text exactly', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000_000 }), fc.nat({ max: 99 }), (pounds, remainder) => {
        const text = `${pounds}.${String(remainder).padStart(2, '0')}`;
        expect(parsePounds(text)).toBe(pounds * 100 + remainder);
        expect(parsePounds(`-${text}`)).toBe(-(pounds * 100 + remainder) || 0);
      }),
    );
  });
});

describe('formatPounds', () => {
  it.each([
    [1234, '£12.34'],
    [-1, '-£0.01'],
    [0, '£0.00'],
    [1, '£0.01'],
    [100, '£1.00'],
    [123456789, '£1,234,567.89'],
    [-100000, '-£1,000.00'],
  ])('formats %i as %s', (amountPence, text) => {
    expect(formatPounds(pence(amountPence))).toBe(text);
  });

  it('round-trips through parsePounds for every safe amount', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (amountPence) => {
        const text = formatPounds(pence(amountPence));
        expect(parsePounds(text, { allowThousandsSeparators: true })).toBe(pence(amountPence));
      }),
    );
  });
});

describe('allocateProportionally', () => {
  it('gives the left-over pence to the largest remainders, ties to the earlier part', () => {
    expect(allocateProportionally(pence(100), [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(pence(-100), [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateProportionally(pence(10), [1, 2])).toEqual([3, 7]);
    expect(allocateProportionally(pence(1), [0, 5])).toEqual([0, 1]);
    expect(allocateProportionally(pence(0), [3, 4])).toEqual([0, 0]);
  });

  it('refuses no weights, all-zero weights, and negative or fractional weights', () => {
    expect(() => allocateProportionally(pence(1), [])).toThrow(RangeError);
    expect(() => allocateProportionally(pence(1), [0, 0])).toThrow(RangeError);
    expect(() => allocateProportionally(pence(1), [1, -1])).toThrow(RangeError);
    expect(() => allocateProportionally(pence(1), [0.5])).toThrow(RangeError);
  });

  it('always sums to the total, each part within a penny of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((weight) => weight > 0));
          const parts = allocateProportionally(pence(total), weights);
          expect(sumPence(parts)).toBe(total);
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
          parts.forEach((part, index) => {
            const exact = (total * (weights[index] ?? 0)) / weightSum;
            expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6);
          });
        },
      ),
    );
  });
});
