// Proves that reference validation runs its checks in the order of domain.md §3, reports the
// first failure with a closed code and a message a web-form user can act on, and routes references.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AmountLimits,
  type ReferenceValidator,
  routeByValidator,
  routeReference,
  validateReference,
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

const rates: ReferenceValidator = {
  minLength: 9,
  maxLength: 9,
  characterClass: 'digits',
  pattern: '56\\d{7}',
  patternDescription: 'Business rates references start with 56',
};

function check(
  reference: string,
  validator: ReferenceValidator,
  amountPence = 100,
  limits: AmountLimits[] = [],
) {
  return validateReference({ reference, amountPence, validator, limits });
}

describe('amount limits', () => {
  it('refuses zero and negative amounts before anything else', () => {
    expect(check('', parking, 0)).toEqual({
      ok: false,
      code: 'amount_not_positive',
      field: 'amountPence',
      message: 'Amount must be more than £0.00',
    });
    expect(check('BJ12345673', parking, -1)).toMatchObject({ code: 'amount_not_positive' });
  });

  it('accepts one penny when no limit says otherwise', () => {
    expect(check('BJ12345673', parking, 1)).toEqual({
      ok: true,
      normalisedReference: 'BJ12345673',
    });
  });

  it('applies every set of limits, inclusive at both ends, and names the tightest bound', () => {
    const limits = [{ maxPence: 50_000 }, { minPence: 100, maxPence: 1_000_000 }];
    expect(check('BJ12345673', parking, 100, limits).ok).toBe(true);
    expect(check('BJ12345673', parking, 50_000, limits).ok).toBe(true);
    expect(check('BJ12345673', parking, 99, limits)).toMatchObject({
      code: 'amount_below_minimum',
      message: 'Amount must be at least £1.00; got £0.99',
    });
    expect(check('BJ12345673', parking, 50_001, limits)).toMatchObject({
      code: 'amount_above_maximum',
      field: 'amountPence',
      message: 'Amount must be no more than £500.00; got £500.01',
    });
  });

  it('treats a fractional amount as a programming error', () => {
    expect(() => check('BJ12345673', parking, 1.5)).toThrow(RangeError);
  });
});

describe('reference checks, in order', () => {
  it('trims and upper-cases before checking, and returns the normalised form', () => {
    expect(check('  bj12345673 ', parking)).toEqual({
      ok: true,
      normalisedReference: 'BJ12345673',
    });
  });

  it('asks for a reference when there is none, even with no length limits', () => {
    expect(check('   ', {})).toMatchObject({
      code: 'too_short',
      field: 'reference',
      message: 'Enter a reference',
    });
  });

  it('reports length against an exact, a minimum or a maximum length', () => {
    expect(check('56123456', rates)).toMatchObject({
      code: 'too_short',
      message: 'Reference must be 9 characters; got 8',
    });
    expect(check('5612345678', rates)).toMatchObject({
      code: 'too_long',
      message: 'Reference must be 9 characters; got 10',
    });
    expect(check('ab', { minLength: 3 })).toMatchObject({
      code: 'too_short',
      message: 'Reference must be at least 3 characters; got 2',
    });
    expect(check('abcd', { maxLength: 3 })).toMatchObject({
      code: 'too_long',
      message: 'Reference must be no more than 3 characters; got 4',
    });
  });

  it('names the first character outside the class, counting from 1 for people', () => {
    expect(check('56X234567', rates)).toMatchObject({
      code: 'bad_characters',
      message: 'Character 3 must be a digit; got "X"',
    });
    expect(check('56 234567', { characterClass: 'lettersWithSpaces' })).toMatchObject({
      message: 'Character 1 must be a letter or a space; got "5"',
    });
    expect(check('AB1', { characterClass: 'letters' })).toMatchObject({
      message: 'Character 3 must be a letter; got "1"',
    });
    expect(check('A-1', { characterClass: 'alphanumeric' })).toMatchObject({
      code: 'bad_characters',
    });
    expect(check('A-1 /', { characterClass: 'any' }).ok).toBe(true);
  });

  it('accepts spaces inside a reference only in the classes with spaces', () => {
    const grouped = '1234 5678 9';
    expect(check(grouped, { characterClass: 'digitsWithSpaces' }).ok).toBe(true);
    expect(check(grouped, { characterClass: 'alphanumericWithSpaces' }).ok).toBe(true);
    // A fund whose references never hold spaces reads the typed groups as one reference.
    expect(check(grouped, { characterClass: 'digits' })).toEqual({
      ok: true,
      normalisedReference: '123456789',
    });
    expect(check('1234-5678', { characterClass: 'digits' })).toMatchObject({
      code: 'bad_characters',
      message: 'Character 5 must be a digit; got "-"',
    });
    expect(check('12A4 5', { characterClass: 'digitsWithSpaces' })).toMatchObject({
      message: 'Character 3 must be a digit or a space; got "A"',
    });
    expect(check('mary  smith', { characterClass: 'lettersWithSpaces' }).ok).toBe(true);
    expect(check('MARY SMITH 2', { characterClass: 'lettersWithSpaces' })).toMatchObject({
      message: 'Character 12 must be a letter or a space; got "2"',
    });
    expect(check('AB 12-3', { characterClass: 'alphanumericWithSpaces' })).toMatchObject({
      message: 'Character 6 must be a letter, a digit or a space; got "-"',
    });
  });

  it('keeps inner spaces as typed, but trims both ends and refuses tabs and line breaks', () => {
    expect(check('  ab 12 ', { characterClass: 'alphanumericWithSpaces' })).toEqual({
      ok: true,
      normalisedReference: 'AB 12',
    });
    expect(check('\tAB  12\n', { characterClass: 'alphanumericWithSpaces' })).toEqual({
      ok: true,
      normalisedReference: 'AB  12',
    });
    expect(check('AB\t12', { characterClass: 'alphanumericWithSpaces' })).toMatchObject({
      code: 'bad_characters',
    });
    // Spaces count towards the length, as typed.
    expect(check('1234 5678', { characterClass: 'digitsWithSpaces', maxLength: 8 })).toMatchObject({
      code: 'too_long',
    });
  });

  it('removes spaces inside a reference unless the fund’s references may hold them', () => {
    expect(check(' bj 1234 5673 ', parking)).toEqual({
      ok: true,
      normalisedReference: 'BJ12345673',
    });
    expect(check('56 12345678', { pattern: '56[0-9]{8}' })).toEqual({
      ok: true,
      normalisedReference: '5612345678',
    });
    // A pattern or mask that names a space keeps it: there the space is part of the scheme.
    expect(check('AB 12', { pattern: '[A-Z]{2} [0-9]{2}' })).toEqual({
      ok: true,
      normalisedReference: 'AB 12',
    });
    expect(check('ab 12', { mask: '@@ ##' })).toEqual({ ok: true, normalisedReference: 'AB 12' });
    expect(check('a b', { characterClass: 'any' })).toEqual({
      ok: true,
      normalisedReference: 'A B',
    });
  });

  it('anchors the pattern and explains it with the configured description', () => {
    expect(check('571234567', rates)).toMatchObject({
      code: 'pattern_mismatch',
      message: 'Business rates references start with 56',
    });
    expect(check('X56123', { pattern: '56\\d*' })).toMatchObject({
      code: 'pattern_mismatch',
      message: 'Reference is not in the expected format',
    });
    expect(check('5612', { pattern: '56' })).toMatchObject({ code: 'pattern_mismatch' });
  });

  it('refuses an invalid configured pattern loudly rather than accepting everything', () => {
    expect(() => check('56', { pattern: '(' })).toThrow(SyntaxError);
  });

  it('reports mask failures by character and by length', () => {
    expect(check('BX12345673', parking)).toMatchObject({
      code: 'mask_mismatch',
      message: 'Character 2 must be "J"; got "X"',
    });
    expect(check('BJ1234567', { mask: 'BJ#######@' })).toMatchObject({
      code: 'mask_mismatch',
      message: 'Reference must be 10 characters; got 9',
    });
  });

  it('refuses a wrong check character last', () => {
    expect(check('BJ12345674', parking)).toEqual({
      ok: false,
      code: 'check_digit_mismatch',
      field: 'reference',
      message: 'Reference is not valid: check each character has been typed correctly',
    });
  });

  it('takes the check position from the mask when the scheme does not give one', () => {
    const leading: ReferenceValidator = {
      mask: '@########',
      checkDigit: {
        kind: 'weighted',
        modulus: 10,
        weights: [0, 3, 7, 1, 3, 7, 1, 3, 7],
        subtractFromModulus: true,
        resultSubstitutions: { '10': '0' },
      },
    };
    expect(check('012345678', leading).ok).toBe(true);
    expect(check('112345678', leading)).toMatchObject({ code: 'check_digit_mismatch' });
  });

  it('never throws on any reference text a person could send', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (reference) => {
        const result = check(reference, parking);
        if (result.ok) expect(result.normalisedReference).toBe(reference.trim().toUpperCase());
        check(reference, rates);
      }),
    );
  });
});

describe('routing', () => {
  const routes = [
    { fundCode: 'NNDR', pattern: '56\\d{7}' },
    { fundCode: 'CTAX', pattern: '\\d{9}' },
    { fundCode: 'PCN', pattern: 'BJ\\d{7}[0-9A]' },
  ];

  it('takes the first anchored match, on the normalised reference', () => {
    expect(routeReference('561234567', routes)).toBe('NNDR');
    expect(routeReference('123456780', routes)).toBe('CTAX');
    expect(routeReference(' bj12345673 ', routes)).toBe('PCN');
    expect(routeReference('1234567801', routes)).toBeNull();
    expect(routeReference('', routes)).toBeNull();
    expect(routeReference('561234567', [])).toBeNull();
  });

  it('lists every fund whose validator accepts the reference, ignoring amounts', () => {
    const funds = [
      { fundCode: 'PCN', validator: parking },
      { fundCode: 'NNDR', validator: rates },
      { fundCode: 'ANY', validator: { characterClass: 'any' } as ReferenceValidator },
    ];
    expect(routeByValidator('bj12345673', funds)).toEqual(['PCN', 'ANY']);
    expect(routeByValidator('561234567', funds)).toEqual(['NNDR', 'ANY']);
    expect(routeByValidator('', funds)).toEqual([]);
  });
});
