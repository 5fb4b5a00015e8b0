import { type Pence, pence } from './money';

const basisPointsPerWhole = 10_000n;

/**
 * Extracts VAT from a VAT-inclusive amount (domain.md §2: council fees are quoted gross).
 *
 * Rounding rule: VAT is the exact fraction `gross × rate / (10000 + rate)` rounded to the
 * nearest penny, with an exact half penny rounded up, as HMRC allows for VAT-inclusive
 * lines. Net is then `gross − VAT`, so the two parts always add back to the gross exactly.
 * Negative amounts (refunds, reversals) are treated symmetrically:
 * `extractVat(-x)` is the negation of `extractVat(x)`, so a refund undoes its payment's VAT
 * to the penny; in effect halves round away from zero.
 *
 * The division runs on BigInt, so amounts far beyond 10^12 pence stay exact; the results
 * fit back into safe integers because VAT never exceeds the gross.
 */
export function extractVat(
  grossPence: number,
  rateBasisPoints: number,
): { netPence: Pence; vatPence: Pence } {
  pence(grossPence);
  if (!Number.isSafeInteger(rateBasisPoints) || rateBasisPoints < 0) {
    throw new RangeError(
      `VAT rate must be a non-negative whole number of basis points; got ${rateBasisPoints}`,
    );
  }
  const rate = BigInt(rateBasisPoints);
  const numerator = BigInt(Math.abs(grossPence)) * rate;
  const denominator = basisPointsPerWhole + rate;
  // floor((2n + d) / 2d) is n / d rounded half up, with no fractions anywhere.
  const absoluteVatPence = Number((2n * numerator + denominator) / (2n * denominator));
  const vatPence = pence(grossPence < 0 ? -absoluteVatPence : absoluteVatPence);
  return { netPence: pence(grossPence - vatPence), vatPence };
}
