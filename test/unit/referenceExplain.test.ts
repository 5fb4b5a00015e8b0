// Proves the "try a reference" explanation: it names the step that fails (length, characters,
// pattern, mask, check digit) with validation's own code and message, marks the steps after it
// as not reached and the unconfigured ones as not set, gives the expected check character
// when the rest is well formed (and only then), and always agrees with validation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoFunds } from '../../domain/demoFunds';
import {
  explainReference,
  normaliseReference,
  type ReferenceValidator,
  validateReferenceShape,
} from '../../domain/references';

const parking: ReferenceValidator = {
  minLength: 10,
  maxLength: 10,
  characterClass: 'alphanumeric',
  mask: 'BJ#######@',
  checkDigit: {
    kind: 'weighted',
    modulus: 11,
    weights: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    sourceSubstitution: '05',
    subtractFromModulus: false,
    resultSubstitutions: { '10': 'A' },
  },
};

const rents: ReferenceValidator = {
  minLength: 11,
  maxLength: 11,
  characterClass: 'digits',
  pattern: '6\\d{10}',
  patternDescription: 'Rent references start with 6',
  checkDigit: { kind: 'luhn' },
};

const outcomes = (reference: string, validator: ReferenceValidator) =>
  Object.fromEntries(
    explainReference(reference, validator).steps.map(({ step, outcome }) => [step, outcome]),
  );

describe('which step fails', () => {
  it('passes a valid reference through every configured step', () => {
    const explained = explainReference(' bj12345673 ', parking);
    expect(explained).toMatchObject({
      valid: true,
      normalisedReference: 'BJ12345673',
      failure: null,
      checkCharacter: { position: 9, found: '3', expected: '3' },
      summary: 'The reference passes every step.',
    });
    expect(outcomes('BJ12345673', parking)).toEqual({
      length: 'passed',
      characterClass: 'passed',
      pattern: 'not_set',
      mask: 'passed',
      checkDigit: 'passed',
    });
  });

  it('names the length, and does not guess a check character for a reference too short', () => {
    const explained = explainReference('BJ123', parking);
    expect(explained.failure).toEqual({
      step: 'length',
      code: 'too_short',
      message: 'Reference must be 10 characters; got 5',
    });
    expect(explained.checkCharacter).toBeNull();
    expect(outcomes('BJ123', parking)).toMatchObject({
      characterClass: 'not_reached',
      mask: 'not_reached',
      checkDigit: 'not_reached',
    });
    expect(explainReference('  ', parking).failure?.message).toBe('Enter a reference');
  });

  it('names the character class', () => {
    expect(explainReference('BJ1234-673', parking)).toMatchObject({
      failure: { step: 'characterClass', code: 'bad_characters' },
      checkCharacter: null,
      summary:
        'Refused at the characters allowed step: Character 7 must be a letter or a digit; got "-".',
    });
  });

  it('names the pattern, in the configured words', () => {
    expect(explainReference('71234567897', rents)).toMatchObject({
      failure: {
        step: 'pattern',
        code: 'pattern_mismatch',
        message: 'Rent references start with 6',
      },
      checkCharacter: null,
    });
  });

  it('names the mask and the character it wanted', () => {
    expect(explainReference('BX12345673', parking)).toMatchObject({
      failure: { step: 'mask', message: 'Character 2 must be "J"; got "X"' },
      checkCharacter: null,
    });
  });

  it('names the check digit and the character the rest of the reference asks for', () => {
    const explained = explainReference('BJ12345674', parking);
    expect(explained).toMatchObject({
      valid: false,
      failure: { step: 'checkDigit', code: 'check_digit_mismatch' },
      checkCharacter: { position: 9, found: '4', expected: '3' },
    });
    expect(explained.summary).toContain(
      'The check character (character 10) should be "3", not "4".',
    );
    // A remainder of 10 is named through the substitution.
    expect(explainReference('BJ00000031', parking).checkCharacter?.expected).toBe('A');
  });

  it('says when no check character can make the reference valid', () => {
    // Modulus 11 with no substitution for 10: a payload digit 1 weighs 10, so nothing fits.
    const ten: ReferenceValidator = {
      checkDigit: { kind: 'weighted', modulus: 11, weights: [10, 0], subtractFromModulus: false },
    };
    const explained = explainReference('15', ten);
    expect(explained.checkCharacter).toEqual({ position: 1, found: '5', expected: null });
    expect(explained.summary).toContain(
      'No check character at character 2 can make this reference valid.',
    );
    // Letters count nothing in a weighted sum, so a zero sum still has its check character.
    expect(explainReference('A5', ten).checkCharacter?.expected).toBe('0');
    // Luhn has no answer for a payload holding a letter.
    expect(
      explainReference('61234A67891', { checkDigit: { kind: 'luhn' } }).checkCharacter,
    ).toEqual({ position: 10, found: '1', expected: null });
  });

  it('marks every step of an empty validator but length as not set', () => {
    expect(outcomes('anything', {})).toEqual({
      length: 'passed',
      characterClass: 'not_set',
      pattern: 'not_set',
      mask: 'not_set',
      checkDigit: 'not_set',
    });
    expect(outcomes('anything', { characterClass: 'any' }).characterClass).toBe('not_set');
  });
});

describe('agreement with validation', () => {
  const validators = [parking, rents, ...demoFunds.map((fund) => fund.validator)];

  it('fails exactly when validation fails, at the same step with the same code and message', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...validators),
        fc.oneof(
          fc.string({ maxLength: 14 }),
          fc.stringMatching(/^(BJ|FP|56|6)?\d{6,10}[0-9AX]?$/),
        ),
        (validator, reference) => {
          const explained = explainReference(reference, validator);
          const failure = validateReferenceShape(
            normaliseReference(reference, validator),
            validator,
          );
          expect(explained.valid).toBe(failure === null);
          expect(explained.failure?.code).toBe(failure?.code);
          expect(explained.failure?.message).toBe(failure?.message);
          const failed = explained.steps.filter((step) => step.outcome === 'failed');
          expect(failed.length).toBe(failure === null ? 0 : 1);
          // The expected check character, when given, is the one that makes the reference pass.
          const check = explained.checkCharacter;
          if (check?.expected != null && check.expected.length === 1) {
            const fixed =
              explained.normalisedReference.slice(0, check.position) +
              check.expected +
              explained.normalisedReference.slice(check.position + 1);
            expect(validateReferenceShape(fixed, validator)).toBeNull();
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
