/**
 * Exact decimal amounts from files, without floating point. `parsePounds` in domain/money.ts
 * is for what people type (a '£', thousands separators); bank files instead use a fixed
 * separator ('.' in CAMT, ',' in MT940), no grouping and no symbol, so they get this strict
 * reader. Digits are accumulated as integers, and a total beyond the safe range is refused.
 */

export type DecimalSeparator = '.' | ',';

const digitZero = 48;
const minusSign = 45;

/**
 * Reads an unsigned run of decimal digits from `text[start, end)`; null if the run is empty,
 * holds a non-digit or is too big to be exact. Used for zero-padded fixed-width amounts too.
 */
export function digitsToInteger(text: string, start: number, end: number): number | null {
  if (end <= start || end > text.length) return null;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - digitZero;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * '1234.5' → 123450, '0,01' → 1, '-12' → -1200, '7,' → 700 (SWIFT writes whole amounts with a
 * trailing comma). At least one digit before the separator and at most two after; no spaces,
 * signs other than a leading '-', exponents or grouping. Null when the text is not such an
 * amount, so the caller reports it with its line and field.
 */
export function decimalToPence(text: string, separator: DecimalSeparator): number | null {
  const negative = text.charCodeAt(0) === minusSign;
  const start = negative ? 1 : 0;
  const separatorIndex = text.indexOf(separator, start);
  const wholeEnd = separatorIndex < 0 ? text.length : separatorIndex;
  const pounds = digitsToInteger(text, start, wholeEnd);
  if (pounds === null) return null;
  let fractionPence = 0;
  if (separatorIndex >= 0) {
    const fractionLength = text.length - separatorIndex - 1;
    if (fractionLength > 2) return null;
    if (fractionLength > 0) {
      const fraction = digitsToInteger(text, separatorIndex + 1, text.length);
      if (fraction === null) return null;
      fractionPence = fractionLength === 1 ? fraction * 10 : fraction;
    }
  }
  const absolutePence = pounds * 100 + fractionPence;
  if (!Number.isSafeInteger(absolutePence)) return null;
  return negative && absolutePence !== 0 ? -absolutePence : absolutePence;
}

/** Writes pence as a decimal with two places: 123450 → '1234.50', -1 → '-0.01'. */
export function penceToDecimal(amountPence: number, separator: DecimalSeparator): string {
  if (!Number.isSafeInteger(amountPence)) {
    throw new RangeError(`Pence must be a safe integer; got ${amountPence}`);
  }
  const sign = amountPence < 0 ? '-' : '';
  const absolutePence = Math.abs(amountPence);
  const pounds = Math.floor(absolutePence / 100);
  const remainderPence = absolutePence % 100;
  return `${sign}${pounds}${separator}${remainderPence < 10 ? '0' : ''}${remainderPence}`;
}
