import { luhnCheck, luhnCheckDigit } from './luhn';

/**
 * A configurable weighted-sum check digit (domain.md §3). Each council line-of-business
 * system has its own scheme, so the scheme is data, not code.
 */
export type WeightedCheckDigit = {
  kind: 'weighted';
  modulus: number;
  /** Weight per 0-based position; positions beyond the array count nothing. */
  weights: number[];
  /** Replaces the first characters before weighting, e.g. '05' turns "BJ…" into "05…". */
  sourceSubstitution?: string;
  /** When true the result is `modulus − remainder`, so a remainder of 0 gives `modulus`. */
  subtractFromModulus: boolean;
  /** Maps the result, written in decimal, to the check character, e.g. { '10': 'A' }. */
  resultSubstitutions?: Record<string, string>;
  /** 0-based position of the check character; defaults to the last character. */
  checkPosition?: number;
};

export type LuhnCheckDigit = { kind: 'luhn' };

export type CheckDigitScheme = WeightedCheckDigit | LuhnCheckDigit;

function weightedSum(config: WeightedCheckDigit, reference: string, checkPosition: number): number {
  const substitution = config.sourceSubstitution ?? '';
  const weightedLength = Math.min(reference.length, config.weights.length);
  let sum = 0;
  for (let position = 0; position < weightedLength; position++) {
    // The check character never weighs in on itself, whatever its configured weight, so the
    // expected character is well defined even for a scheme that forgot to give it weight 0.
    if (position === checkPosition) continue;
    const code =
      position < substitution.length
        ? substitution.charCodeAt(position)
        : reference.charCodeAt(position);
    const digit = code - 48;
    if (digit >= 0 && digit <= 9) sum += digit * (config.weights[position] ?? 0);
  }
  return sum;
}

/**
 * Works out the check character the scheme expects, or null when there is none: the check
 * position lies outside the reference, or a Luhn payload holds a non-digit. The result can be
 * longer than one character (for example "10" from a modulus-11 scheme with no substitution
 * for 10): such a reference can never pass, which is how councils that "never issue" those
 * numbers behave.
 */
function expectedCheckCharacter(
  config: CheckDigitScheme,
  reference: string,
  checkPosition: number,
): string | null {
  if (checkPosition < 0 || checkPosition >= reference.length) return null;
  if (config.kind === 'luhn') {
    return luhnCheckDigit(reference.slice(0, checkPosition));
  }
  const remainder = weightedSum(config, reference, checkPosition) % config.modulus;
  const result = config.subtractFromModulus ? config.modulus - remainder : remainder;
  const key = String(result);
  return config.resultSubstitutions?.[key] ?? key;
}

function checkPositionFor(config: CheckDigitScheme, reference: string): number {
  if (config.kind === 'weighted' && config.checkPosition !== undefined) {
    return config.checkPosition;
  }
  return reference.length - 1;
}

/**
 * The check character the scheme expects for `reference`, whose own character at the check
 * position is ignored (a placeholder such as "?" is fine). Upper-casing does not change
 * digits, and substitutions are configured upper-case, so the reference is read as given.
 * Throws a RangeError when no check character can be computed, which is a caller's mistake.
 */
export function computeCheckCharacter(config: CheckDigitScheme, reference: string): string {
  const checkPosition = checkPositionFor(config, reference);
  const expected = expectedCheckCharacter(config, reference, checkPosition);
  if (expected === null) {
    throw new RangeError(`No check character can be computed for "${reference}"`);
  }
  return expected;
}

/** True when the reference's check character is the one the scheme expects (case-insensitive). */
export function verifyCheckDigit(config: CheckDigitScheme, reference: string): boolean {
  if (config.kind === 'luhn') return luhnCheck(reference);
  const checkPosition = checkPositionFor(config, reference);
  const expected = expectedCheckCharacter(config, reference, checkPosition);
  if (expected === null || expected.length !== 1) return false;
  return reference.charAt(checkPosition).toUpperCase() === expected.toUpperCase();
}
