/**
 * Money is integer pence everywhere. The brand stops a raw number (a count, a rate, pounds)
 * from being passed where pence are expected without going through `pence()`, which
 * asserts that the value is a safe integer and so can never have come from float maths.
 */
export type Pence = number & { readonly __brand: 'Pence' };

/** Brands a number as pence; a fraction, NaN, infinity or an unsafe integer is a programmer error. */
export function pence(n: number): Pence {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`Pence must be a safe integer; got ${n}`);
  }
  // Normalising -0 keeps formatting and equality checks free of a "negative zero" surprise.
  return (n === 0 ? 0 : n) as Pence;
}

/** Sums pence and asserts the total is still a safe integer, so overflow cannot go unseen. */
export function sumPence(values: readonly Pence[]): Pence {
  let totalPence = 0;
  for (const value of values) totalPence += value;
  return pence(totalPence);
}

export type ParsePoundsOptions = {
  /** Accept "1,234.56". Off by default because a comma is also a common typing slip. */
  allowThousandsSeparators?: boolean;
};

const plainPounds = /^(-)?£?(\d+)(?:\.(\d{1,2}))?$/;
const groupedPounds = /^(-)?£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a pounds amount typed by a person ("12.34", "£12", "-0.01") into pence without ever
 * going through a floating-point number. Surrounding whitespace is ignored; anything else
 * unusual (spaces inside, an exponent, a plus sign, three decimals, "12." or ".5") gives null
 * so that the caller can ask again rather than guess.
 */
export function parsePounds(text: string, options: ParsePoundsOptions = {}): Pence | null {
  const pattern = options.allowThousandsSeparators ? groupedPounds : plainPounds;
  const match = pattern.exec(text.trim());
  if (match === null) return null;
  const [, minus, poundsDigits = '', fractionDigits = ''] = match;
  const digits = poundsDigits.replaceAll(',', '') + fractionDigits.padEnd(2, '0');
  let totalPence = 0;
  for (let index = 0; index < digits.length; index++) {
    totalPence = totalPence * 10 + (digits.charCodeAt(index) - 48);
    // Once the running total passes the safe range it can no longer be trusted exactly.
    if (totalPence > Number.MAX_SAFE_INTEGER) return null;
  }
  return pence(minus === undefined ? totalPence : -totalPence);
}

/** Formats pence the GOV.UK way: "£1,234.56", "-£0.01", "£0.00". */
export function formatPounds(p: Pence): string {
  const sign = p < 0 ? '-' : '';
  const absolutePence = Math.abs(p);
  const pounds = Math.floor(absolutePence / 100).toString();
  const remainderPence = (absolutePence % 100).toString().padStart(2, '0');
  const groupedPoundsText = pounds.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}£${groupedPoundsText}.${remainderPence}`;
}

/**
 * Splits a total across weights by the largest-remainder method: each part gets the floor of
 * its exact share, then the pence left over go one each to the parts with the largest
 * fractional remainders (ties to the earlier part). The parts always sum to the total, and a
 * negative total splits as the mirror image of the positive one. BigInt keeps
 * `total × weight` exact even for very large amounts.
 */
export function allocateProportionally(totalPence: Pence, weights: readonly number[]): Pence[] {
  if (weights.length === 0) throw new RangeError('Cannot allocate across no weights');
  let weightSum = 0n;
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new RangeError(`Weights must be non-negative safe integers; got ${weight}`);
    }
    weightSum += BigInt(weight);
  }
  if (weightSum === 0n) throw new RangeError('Cannot allocate when every weight is zero');
  const sign = totalPence < 0 ? -1 : 1;
  const absoluteTotal = BigInt(Math.abs(totalPence));
  const shares = weights.map((weight, index) => {
    const exact = absoluteTotal * BigInt(weight);
    return { index, floorPence: exact / weightSum, remainder: exact % weightSum };
  });
  let leftOverPence = absoluteTotal - shares.reduce((sum, share) => sum + share.floorPence, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (leftOverPence === 0n) break;
    share.floorPence += 1n;
    leftOverPence -= 1n;
  }
  return shares.map((share) => pence(sign * Number(share.floorPence)));
}
