import type { CheckDigitScheme } from './checkDigit';

/**
 * The characters a reference may hold, judged on the normalised reference (trimmed at both
 * ends, upper-cased; see `normaliseReference`). Letters are A–Z, digits 0–9, and a space is
 * U+0020 only: a tab or a line break inside a reference is refused by every class but `any`.
 * The `…WithSpaces` classes exist because some councils print references in groups
 * ("1234 5678 9"); spaces inside are kept as typed, never collapsed or removed.
 */
export const characterClasses = [
  'digits',
  'letters',
  'alphanumeric',
  'digitsWithSpaces',
  'lettersWithSpaces',
  'alphanumericWithSpaces',
  'any',
] as const;

export type CharacterClass = (typeof characterClasses)[number];

/** A fund's account-reference rules, applied in the order of domain.md §3. */
export type ReferenceValidator = {
  minLength?: number;
  maxLength?: number;
  characterClass?: CharacterClass;
  /** Regex source, matched against the whole upper-cased reference (we anchor it). */
  pattern?: string;
  /** Shown to the user when the pattern refuses, e.g. "Business rates references start with 56". */
  patternDescription?: string;
  mask?: string;
  checkDigit?: CheckDigitScheme;
  /**
   * References the validator must accept, checked when the configuration is saved so that a
   * pattern that compiles but matches nothing (`6[0-9]{10`) cannot be stored. Absent on
   * validators saved before examples existed; they behave exactly as before.
   */
  examples?: string[];
};

/** Limits from one source (the fund, or the method of payment); absent means no limit. */
export type AmountLimits = { minPence?: number; maxPence?: number };

export type ReferenceErrorCode =
  | 'amount_not_positive'
  | 'amount_below_minimum'
  | 'amount_above_maximum'
  | 'too_short'
  | 'too_long'
  | 'bad_characters'
  | 'pattern_mismatch'
  | 'mask_mismatch'
  | 'check_digit_mismatch';

export type ValidationFailure = {
  ok: false;
  code: ReferenceErrorCode;
  field: 'reference' | 'amountPence';
  message: string;
};

export type ValidationResult = { ok: true; normalisedReference: string } | ValidationFailure;
