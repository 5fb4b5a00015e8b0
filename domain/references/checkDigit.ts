import { dynixTerm } from './dynix';
import { luhnCheck, luhnCheckDigit } from './luhn';

/**
 * Check-digit schemes: a closed set, chosen per validator by `kind`, because each council
 * line-of-business system has its own and the scheme must be data, not code. Adding a scheme
 * means a new member of the union below, its sum in `checkSumOf`, its zod schema in
 * api/schemas/referenceValidator.ts and its section in docs/money-core.md; the `never` check
 * in `checkSumOf` makes the compiler list every place that forgot it.
 *
 * - `weighted`: each digit times the weight at its position (domain.md §3);
 * - `luhn`: the card-number check, mod 10 from the right;
 * - `dynix`: the library-card check, see ./dynix.ts.
 */

/** A configurable weighted-sum check digit (domain.md §3). */
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

/** The Dynix library-card check digit (./dynix.ts): no subtraction, no source substitution. */
export type DynixCheckDigit = {
  kind: 'dynix';
  modulus: number;
  /**
   * Weight per 0-based position. Even positions use theirs; odd positions add their digit as
   * it is, so their entries only say that the position counts (write 1). Positions beyond the
   * array count nothing.
   */
  weights: number[];
  /** Maps the remainder, written in decimal, to the check character, e.g. { '10': 'X' }. */
  resultSubstitutions?: Record<string, string>;
  /** 0-based position of the check character; defaults to the last character. */
  checkPosition?: number;
};

export type CheckDigitScheme = WeightedCheckDigit | LuhnCheckDigit | DynixCheckDigit;

/** Every scheme there is, for forms and documentation. */
export const checkDigitKinds = ['weighted', 'luhn', 'dynix'] as const satisfies readonly [
  CheckDigitScheme['kind'],
  ...CheckDigitScheme['kind'][],
];

type PositionalScheme = WeightedCheckDigit | DynixCheckDigit;
type Term = (digit: number, position: number, weight: number) => number;

const weightedTerm: Term = (digit, _position, weight) => digit * weight;

/**
 * The sum over the reference's digits of `term(digit, position, weight)`. Non-digits count
 * nothing, and so do positions beyond the weights. The check character never weighs in on
 * itself, whatever its configured weight, so the expected character is well defined even for
 * a scheme that forgot to give it weight 0.
 */
function positionalSum(
  scheme: PositionalScheme,
  reference: string,
  checkPosition: number,
  term: Term,
): number {
  const substitution = scheme.kind === 'weighted' ? (scheme.sourceSubstitution ?? '') : '';
  const countedLength = Math.min(reference.length, scheme.weights.length);
  let sum = 0;
  for (let position = 0; position < countedLength; position++) {
    if (position === checkPosition) continue;
    const code =
      position < substitution.length
        ? substitution.charCodeAt(position)
        : reference.charCodeAt(position);
    const digit = code - 48;
    if (digit >= 0 && digit <= 9) sum += term(digit, position, scheme.weights[position] ?? 0);
  }
  return sum;
}

/** The scheme's result before result substitutions, for the positional schemes. */
function checkSumOf(scheme: PositionalScheme, reference: string, checkPosition: number): number {
  switch (scheme.kind) {
    case 'weighted': {
      const remainder =
        positionalSum(scheme, reference, checkPosition, weightedTerm) % scheme.modulus;
      return scheme.subtractFromModulus ? scheme.modulus - remainder : remainder;
    }
    case 'dynix':
      return positionalSum(scheme, reference, checkPosition, dynixTerm) % scheme.modulus;
    default: {
      const unknown: never = scheme;
      throw new Error(`Unknown check-digit scheme ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Works out the check character the scheme expects, or null when there is none: the check
 * position lies outside the reference, or a Luhn payload holds a non-digit. The result can be
 * longer than one character (for example "10" from a modulus-11 scheme with no substitution
 * for 10): such a reference can never pass, which is how councils that "never issue" those
 * numbers behave.
 */
function expectedAt(scheme: CheckDigitScheme, reference: string, position: number): string | null {
  if (position < 0 || position >= reference.length) return null;
  if (scheme.kind === 'luhn') return luhnCheckDigit(reference.slice(0, position));
  const key = String(checkSumOf(scheme, reference, position));
  return scheme.resultSubstitutions?.[key] ?? key;
}

/** The 0-based position of the scheme's check character in `reference`. */
export function checkPositionFor(scheme: CheckDigitScheme, reference: string): number {
  if (scheme.kind !== 'luhn' && scheme.checkPosition !== undefined) return scheme.checkPosition;
  return reference.length - 1;
}

/**
 * Where the check character sits and what the scheme expects there, or null when nothing can
 * be computed; `expected` may be longer than one character (see `expectedAt`).
 */
export function expectedCheckCharacter(
  scheme: CheckDigitScheme,
  reference: string,
): { position: number; expected: string } | null {
  const position = checkPositionFor(scheme, reference);
  const expected = expectedAt(scheme, reference, position);
  return expected === null ? null : { position, expected };
}

/**
 * The check character the scheme expects for `reference`, whose own character at the check
 * position is ignored (a placeholder such as "?" is fine). Upper-casing does not change
 * digits, and substitutions are configured upper-case, so the reference is read as given.
 * Throws a RangeError when no check character can be computed, which is a caller's mistake.
 */
export function computeCheckCharacter(scheme: CheckDigitScheme, reference: string): string {
  const found = expectedCheckCharacter(scheme, reference);
  if (found === null) {
    throw new RangeError(`No check character can be computed for "${reference}"`);
  }
  return found.expected;
}

/** True when the reference's check character is the one the scheme expects (case-insensitive). */
export function verifyCheckDigit(scheme: CheckDigitScheme, reference: string): boolean {
  if (scheme.kind === 'luhn') return luhnCheck(reference);
  const found = expectedCheckCharacter(scheme, reference);
  if (found === null || found.expected.length !== 1) return false;
  return reference.charAt(found.position).toUpperCase() === found.expected.toUpperCase();
}
