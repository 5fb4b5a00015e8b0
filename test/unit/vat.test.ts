// Proves VAT extraction is exact integer arithmetic: parts always sum to the gross, the
// rounding is to the nearest penny with halves up, and negatives mirror positives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractVat } from '../../domain/vat';

const amountsUpToTrillion = fc
  .bigInt({ min: -(10n ** 12n), max: 10n ** 12n })
  .map((value) => Number(value));

describe('extractVat', () => {
  it.each([
    [120, 2000, 100, 20],
    [0, 2000, 0, 0],
    [1, 2000, 1, 0],
    [2, 2000, 2, 0],
    // 3 × 2000 / 12000 is exactly half a penny, which rounds up.
    [3, 2000, 2, 1],
    [-3, 2000, -2, -1],
    [1200, 500, 1143, 57],
    [100, 0, 100, 0],
    [1_000_000_000_000, 2000, 833_333_333_333, 166_666_666_667],
  ])('%i pence at %i bp gives net %i and VAT %i', (grossPence, rate, netPence, vatPence) => {
    expect(extractVat(grossPence, rate)).toEqual({ netPence, vatPence });
  });

  it('refuses fractional amounts and negative or fractional rates', () => {
    expect(() => extractVat(1.5, 2000)).toThrow(RangeError);
    expect(() => extractVat(100, -1)).toThrow(RangeError);
    expect(() => extractVat(100, 20.5)).toThrow(RangeError);
  });

  it('always splits into parts that sum to the gross', () => {
    fc.assert(
      fc.property(amountsUpToTrillion, fc.nat({ max: 10_000 }), (grossPence, rate) => {
        const { netPence, vatPence } = extractVat(grossPence, rate);
        expect(netPence + vatPence).toBe(grossPence);
        expect(Number.isSafeInteger(netPence) && Number.isSafeInteger(vatPence)).toBe(true);
      }),
    );
  });

  it('gives no VAT at a zero rate', () => {
    fc.assert(
      fc.property(amountsUpToTrillion, (grossPence) => {
        expect(extractVat(grossPence, 0)).toEqual({ netPence: grossPence, vatPence: 0 });
      }),
    );
  });

  it('is within half a penny of the exact VAT, halves rounding away from zero', () => {
    fc.assert(
      fc.property(amountsUpToTrillion, fc.nat({ max: 10_000 }), (grossPence, rate) => {
        const { vatPence } = extractVat(Math.abs(grossPence), rate);
        const denominator = 10_000n + BigInt(rate);
        // error = vat − exact, scaled by 2 × denominator to stay in integers: −d < 2·err·d ≤ d.
        const scaledError =
          2n * (BigInt(vatPence) * denominator - BigInt(Math.abs(grossPence)) * BigInt(rate));
        expect(scaledError > -denominator && scaledError <= denominator).toBe(true);
      }),
    );
  });

  it('treats negatives symmetrically', () => {
    fc.assert(
      fc.property(amountsUpToTrillion, fc.nat({ max: 10_000 }), (grossPence, rate) => {
        const positive = extractVat(grossPence, rate);
        const negative = extractVat(-grossPence, rate);
        expect(negative.vatPence).toBe(-positive.vatPence || 0);
        expect(negative.netPence).toBe(-positive.netPence || 0);
      }),
    );
  });
});
