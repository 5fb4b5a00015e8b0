/**
 * The Luhn (mod 10) check used by payment cards and by many housing and payer references: from
 * the right, every second digit is doubled (subtracting 9 when that passes 9) and the total
 * must be a multiple of 10. It catches every single-digit substitution and most adjacent swaps.
 */

function luhnSum(digits: string, doubleFirstFromRight: boolean): number | null {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let index = digits.length - 1; index >= 0; index--) {
    const digit = digits.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return null;
    if (double) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
    double = !double;
  }
  return sum;
}

/** True when `digits` (the payload followed by its check digit) passes Luhn. */
export function luhnCheck(digits: string): boolean {
  // A lone digit has no payload to protect, so it is never treated as a valid reference.
  if (digits.length < 2) return false;
  const sum = luhnSum(digits, false);
  return sum !== null && sum % 10 === 0;
}

/** The digit to append to `payload` so that the whole passes Luhn; null if it has non-digits. */
export function luhnCheckDigit(payload: string): string | null {
  if (payload.length === 0) return null;
  const sum = luhnSum(payload, true);
  return sum === null ? null : String((10 - (sum % 10)) % 10);
}
