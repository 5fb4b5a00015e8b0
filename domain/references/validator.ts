import { formatPounds, pence } from '../money';
import { anchoredPattern } from './anchoredPattern';
import { type CheckDigitScheme, verifyCheckDigit } from './checkDigit';
import { checkPositionOf, matchesMask } from './mask';

/** A fund's account-reference rules, applied in the order of domain.md §3. */
export type ReferenceValidator = {
  minLength?: number;
  maxLength?: number;
  characterClass?: 'digits' | 'letters' | 'alphanumeric' | 'any';
  /** Regex source, matched against the whole upper-cased reference (we anchor it). */
  pattern?: string;
  /** Shown to the user when the pattern refuses, e.g. "Business rates references start with 56". */
  patternDescription?: string;
  mask?: string;
  checkDigit?: CheckDigitScheme;
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

function amountFailure(code: ReferenceErrorCode, message: string): ValidationFailure {
  return { ok: false, code, field: 'amountPence', message };
}

function referenceFailure(code: ReferenceErrorCode, message: string): ValidationFailure {
  return { ok: false, code, field: 'reference', message };
}

/** People paste references with stray spaces and type them in lower case; neither matters. */
export function normaliseReference(reference: string): string {
  return reference.trim().toUpperCase();
}

/**
 * Checks the amount against every set of limits (fund and method of payment) at once, and
 * reports the tightest bound, because that is the one the payer has to meet. A non-integer
 * amount is a caller's mistake (amounts are parsed into pence before they get here).
 */
export function validateAmount(
  amountPence: number,
  limits: readonly AmountLimits[],
): ValidationFailure | null {
  pence(amountPence);
  if (amountPence <= 0) {
    return amountFailure('amount_not_positive', 'Amount must be more than £0.00');
  }
  let minPence = 0;
  let maxPence = Number.POSITIVE_INFINITY;
  for (const limit of limits) {
    if (limit.minPence !== undefined && limit.minPence > minPence) minPence = limit.minPence;
    if (limit.maxPence !== undefined && limit.maxPence < maxPence) maxPence = limit.maxPence;
  }
  if (amountPence < minPence) {
    const min = formatPounds(pence(minPence));
    const got = formatPounds(pence(amountPence));
    return amountFailure('amount_below_minimum', `Amount must be at least ${min}; got ${got}`);
  }
  if (amountPence > maxPence) {
    const max = formatPounds(pence(maxPence));
    const got = formatPounds(pence(amountPence));
    return amountFailure('amount_above_maximum', `Amount must be no more than ${max}; got ${got}`);
  }
  return null;
}

function lengthFailure(reference: string, validator: ReferenceValidator): ValidationFailure | null {
  const length = reference.length;
  // An empty reference is never acceptable: a payment must say what it is paying.
  if (length === 0) return referenceFailure('too_short', 'Enter a reference');
  const { minLength, maxLength } = validator;
  if (minLength !== undefined && minLength === maxLength && length !== minLength) {
    const code = length < minLength ? 'too_short' : 'too_long';
    return referenceFailure(code, `Reference must be ${minLength} characters; got ${length}`);
  }
  if (minLength !== undefined && length < minLength) {
    const message = `Reference must be at least ${minLength} characters; got ${length}`;
    return referenceFailure('too_short', message);
  }
  if (maxLength !== undefined && length > maxLength) {
    const message = `Reference must be no more than ${maxLength} characters; got ${length}`;
    return referenceFailure('too_long', message);
  }
  return null;
}

const classDescriptions = {
  digits: 'a digit',
  letters: 'a letter',
  alphanumeric: 'a letter or a digit',
} as const;

function classAccepts(characterClass: keyof typeof classDescriptions, code: number): boolean {
  const isDigit = code >= 48 && code <= 57;
  if (characterClass === 'digits') return isDigit;
  const isLetter = code >= 65 && code <= 90;
  return characterClass === 'letters' ? isLetter : isDigit || isLetter;
}

function describeCharacter(character: string): string {
  return character === ' ' ? 'a space' : `"${character}"`;
}

function characterClassFailure(
  reference: string,
  characterClass: ReferenceValidator['characterClass'],
): ValidationFailure | null {
  if (characterClass === undefined || characterClass === 'any') return null;
  for (let position = 0; position < reference.length; position++) {
    if (!classAccepts(characterClass, reference.charCodeAt(position))) {
      const found = describeCharacter(reference.charAt(position));
      const expected = classDescriptions[characterClass];
      const message = `Character ${position + 1} must be ${expected}; got ${found}`;
      return referenceFailure('bad_characters', message);
    }
  }
  return null;
}

function maskFailure(reference: string, mask: string): ValidationFailure | null {
  const result = matchesMask(mask, reference);
  if (result.ok) return null;
  if (result.reason !== 'character') {
    const message = `Reference must be ${mask.length} characters; got ${reference.length}`;
    return referenceFailure('mask_mismatch', message);
  }
  const found = describeCharacter(reference.charAt(result.position));
  const message = `Character ${result.position + 1} must be ${result.expected}; got ${found}`;
  return referenceFailure('mask_mismatch', message);
}

/**
 * A weighted scheme without its own check position takes the mask's `@` position, so that a
 * mask and its scheme cannot quietly disagree about where the check character is.
 */
function schemeFor(validator: ReferenceValidator): CheckDigitScheme | undefined {
  const scheme = validator.checkDigit;
  if (scheme?.kind !== 'weighted' || scheme.checkPosition !== undefined) return scheme;
  const maskPosition = validator.mask === undefined ? null : checkPositionOf(validator.mask);
  if (maskPosition === null || maskPosition === validator.mask!.length - 1) return scheme;
  return { ...scheme, checkPosition: maskPosition };
}

/**
 * Checks an already normalised reference against length, character class, pattern, mask
 * and check digit, in that order, and returns the first failure. Amounts are not involved,
 * so this also answers "which funds could this reference belong to?".
 */
export function validateReferenceShape(
  normalisedReference: string,
  validator: ReferenceValidator,
): ValidationFailure | null {
  const reference = normalisedReference;
  const failure =
    lengthFailure(reference, validator) ??
    characterClassFailure(reference, validator.characterClass);
  if (failure !== null) return failure;
  if (validator.pattern !== undefined && !anchoredPattern(validator.pattern).test(reference)) {
    const message = validator.patternDescription ?? 'Reference is not in the expected format';
    return referenceFailure('pattern_mismatch', message);
  }
  if (validator.mask !== undefined) {
    const failed = maskFailure(reference, validator.mask);
    if (failed !== null) return failed;
  }
  const scheme = schemeFor(validator);
  if (scheme !== undefined && !verifyCheckDigit(scheme, reference)) {
    const message = 'Reference is not valid: check each character has been typed correctly';
    return referenceFailure('check_digit_mismatch', message);
  }
  return null;
}

/**
 * Validates a payment's reference for a fund: amount limits first (every entry: fund and
 * method of payment), then the reference's shape. The reference is trimmed and upper-cased
 * first, and that normalised form is what callers should store.
 */
export function validateReference(input: {
  reference: string;
  amountPence: number;
  validator: ReferenceValidator;
  limits: readonly AmountLimits[];
}): ValidationResult {
  const amountProblem = validateAmount(input.amountPence, input.limits);
  if (amountProblem !== null) return amountProblem;
  const normalisedReference = normaliseReference(input.reference);
  const shapeProblem = validateReferenceShape(normalisedReference, input.validator);
  if (shapeProblem !== null) return shapeProblem;
  return { ok: true, normalisedReference };
}
