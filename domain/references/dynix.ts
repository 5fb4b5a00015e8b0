/**
 * The Dynix library-card check digit, which councils meet on library fines (the cards come
 * from the Dynix library system). Reading the reference left to right from position 0:
 *
 * - a digit at an even position is multiplied by its weight; when that product is over 10,
 *   10 is subtracted from it (once); and when the digit itself is over 4, 1 is added;
 * - a digit at an odd position is added as it is;
 * - non-digits count nothing, nor do positions beyond the weights or the check position;
 * - the check character is the sum's remainder modulo the configured modulus, through the
 *   result substitutions (there is no subtraction from the modulus).
 *
 * The rule is exactly as stated: "over 10" is strict, so weight 2 turns a 5 into 10 + 1 = 11,
 * not 1. With weight 2 and modulus 10 that makes no difference: every even-position term is
 * then, modulo 10, the digit sum of twice the digit, as in Luhn but counted from the left.
 * See docs/money-core.md for a worked example.
 */
export function dynixTerm(digit: number, position: number, weight: number): number {
  if (position % 2 === 1) return digit;
  const product = digit * weight;
  const reduced = product > 10 ? product - 10 : product;
  return digit > 4 ? reduced + 1 : reduced;
}
