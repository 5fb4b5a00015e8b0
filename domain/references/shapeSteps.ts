import { anchoredPattern } from './anchoredPattern';
import { type CheckDigitScheme, verifyCheckDigit } from './checkDigit';
import { checkPositionOf, matchesMask } from './mask';
import type {
  CharacterClass,
  ReferenceErrorCode,
  ReferenceValidator,
  ValidationFailure,
} from './types';

/**
 * The checks of a reference's shape, one per step, in the order of domain.md §3. Validation
 * stops at the first failure; an explanation (./explain.ts) walks the same list, so the two
 * can never disagree about which step refuses a reference.
 */

export const referenceSteps = [
  'length',
  'characterClass',
  'pattern',
  'mask',
  'checkDigit',
] as const;

export type ReferenceStep = (typeof referenceSteps)[number];

export type ShapeStep = {
  step: ReferenceStep;
  /** Whether the validator configures this step; length is always checked (never empty). */
  isSet: (validator: ReferenceValidator) => boolean;
  /** The step's failure for an already normalised reference, or null when it passes. */
  failure: (reference: string, validator: ReferenceValidator) => ValidationFailure | null;
};

function referenceFailure(code: ReferenceErrorCode, message: string): ValidationFailure {
  return { ok: false, code, field: 'reference', message };
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

type ClassRule = { digits: boolean; letters: boolean; spaces: boolean; description: string };

const classRules: Record<Exclude<CharacterClass, 'any'>, ClassRule> = {
  digits: { digits: true, letters: false, spaces: false, description: 'a digit' },
  letters: { digits: false, letters: true, spaces: false, description: 'a letter' },
  alphanumeric: { digits: true, letters: true, spaces: false, description: 'a letter or a digit' },
  digitsWithSpaces: {
    digits: true,
    letters: false,
    spaces: true,
    description: 'a digit or a space',
  },
  lettersWithSpaces: {
    digits: false,
    letters: true,
    spaces: true,
    description: 'a letter or a space',
  },
  alphanumericWithSpaces: {
    digits: true,
    letters: true,
    spaces: true,
    description: 'a letter, a digit or a space',
  },
};

function classAccepts(rule: ClassRule, code: number): boolean {
  // Only upper-case letters: the reference has been upper-cased before any step runs.
  if (code >= 48 && code <= 57) return rule.digits;
  if (code >= 65 && code <= 90) return rule.letters;
  return code === 32 && rule.spaces;
}

function describeCharacter(character: string): string {
  return character === ' ' ? 'a space' : `"${character}"`;
}

function characterClassFailure(
  reference: string,
  validator: ReferenceValidator,
): ValidationFailure | null {
  const characterClass = validator.characterClass;
  if (characterClass === undefined || characterClass === 'any') return null;
  const rule = classRules[characterClass];
  for (let position = 0; position < reference.length; position++) {
    if (!classAccepts(rule, reference.charCodeAt(position))) {
      const found = describeCharacter(reference.charAt(position));
      const message = `Character ${position + 1} must be ${rule.description}; got ${found}`;
      return referenceFailure('bad_characters', message);
    }
  }
  return null;
}

function patternFailure(
  reference: string,
  validator: ReferenceValidator,
): ValidationFailure | null {
  if (validator.pattern === undefined || anchoredPattern(validator.pattern).test(reference)) {
    return null;
  }
  const message = validator.patternDescription ?? 'Reference is not in the expected format';
  return referenceFailure('pattern_mismatch', message);
}

function maskFailure(reference: string, validator: ReferenceValidator): ValidationFailure | null {
  const mask = validator.mask;
  if (mask === undefined) return null;
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
 * A positional scheme (weighted, Dynix) without its own check position takes the mask's `@`
 * position, so that a mask and its scheme cannot quietly disagree about where the check
 * character is. Luhn's check digit is always the last.
 */
export function schemeFor(validator: ReferenceValidator): CheckDigitScheme | undefined {
  const scheme = validator.checkDigit;
  if (scheme === undefined || scheme.kind === 'luhn' || scheme.checkPosition !== undefined) {
    return scheme;
  }
  const maskPosition = validator.mask === undefined ? null : checkPositionOf(validator.mask);
  if (maskPosition === null || maskPosition === validator.mask!.length - 1) return scheme;
  return { ...scheme, checkPosition: maskPosition };
}

function checkDigitFailure(
  reference: string,
  validator: ReferenceValidator,
): ValidationFailure | null {
  const scheme = schemeFor(validator);
  if (scheme === undefined || verifyCheckDigit(scheme, reference)) return null;
  const message = 'Reference is not valid: check each character has been typed correctly';
  return referenceFailure('check_digit_mismatch', message);
}

const always = () => true;

export const shapeSteps: readonly ShapeStep[] = [
  { step: 'length', isSet: always, failure: lengthFailure },
  {
    step: 'characterClass',
    isSet: (validator) =>
      validator.characterClass !== undefined && validator.characterClass !== 'any',
    failure: characterClassFailure,
  },
  {
    step: 'pattern',
    isSet: (validator) => validator.pattern !== undefined,
    failure: patternFailure,
  },
  { step: 'mask', isSet: (validator) => validator.mask !== undefined, failure: maskFailure },
  {
    step: 'checkDigit',
    isSet: (validator) => validator.checkDigit !== undefined,
    failure: checkDigitFailure,
  },
];
