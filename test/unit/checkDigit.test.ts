// Proves the weighted-sum, Luhn and Dynix check digits follow their definitions exactly: the
// worked examples by hand, zero sums, substitutions (including a remainder of 10), letters that
// count nothing, the remainder-0 rule, and that single-digit slips are caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeCheckCharacter,
  type DynixCheckDigit,
  dynixTerm,
  luhnCheck,
  luhnCheckDigit,
  verifyCheckDigit,
  type WeightedCheckDigit,
} from '../../domain/references';

const parking: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 11,
  weights: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
  sourceSubstitution: '05',
  subtractFromModulus: false,
  resultSubstitutions: { '10': 'A' },
};

const councilTax: WeightedCheckDigit = {
  kind: 'weighted',
  modulus: 10,
  weights: [3, 7, 1, 3, 7, 1, 3, 7, 0],
  subtractFromModulus: true,
  resultSubstitutions: { '10': '0' },
};

describe('worked examples, by hand', () => {
  it('parking: BJ1234567? weighs as 0512345670, sums to 124, and 124 mod 11 = 3', () => {
    const substituted = [0, 5, 1, 2, 3, 4, 5, 6, 7, 0];
    const sum = substituted.reduce(
      (total, digit, i) => total + digit * (parking.weights[i] ?? 0),
      0,
    );
    expect(sum).toBe(124);
    expect(sum % 11).toBe(3);
    expect(computeCheckCharacter(parking, 'BJ1234567?')).toBe('3');
    expect(verifyCheckDigit(parking, 'BJ12345673')).toBe(true);
    expect(verifyCheckDigit(parking, 'bj12345673')).toBe(true);
    expect(verifyCheckDigit(parking, 'BJ12345674')).toBe(false);
  });

  it('a zero sum: 00000000? has remainder 0, 10 − 0 = 10, written 0 by the substitution', () => {
    expect(computeCheckCharacter(councilTax, '00000000?')).toBe('0');
    expect(verifyCheckDigit(councilTax, '000000000')).toBe(true);
    // Without subtraction a zero sum is remainder 0 itself: BJ weighs as 05, so use letters
    // the source substitution does not cover.
    expect(computeCheckCharacter({ ...parking, sourceSubstitution: '00' }, 'BJ0000000?')).toBe('0');
  });

  it('council tax: 12345678? sums to 150, remainder 0, 10 − 0 = 10, and 10 is written 0', () => {
    const digits = [1, 2, 3, 4, 5, 6, 7, 8];
    const sum = digits.reduce((total, digit, i) => total + digit * (councilTax.weights[i] ?? 0), 0);
    expect(sum).toBe(150);
    expect(sum % 10).toBe(0);
    expect(computeCheckCharacter(councilTax, '12345678?')).toBe('0');
    expect(verifyCheckDigit(councilTax, '123456780')).toBe(true);
    expect(verifyCheckDigit(councilTax, '123456781')).toBe(false);
  });
});

describe('weighted check digits', () => {
  it('maps a result of 10 through the result substitutions', () => {
    // 0·9 + 5·8 + 3·1 = 43, and 43 mod 11 = 10, which the parking scheme writes as A.
    expect(computeCheckCharacter(parking, 'BJ0000003?')).toBe('A');
    expect(verifyCheckDigit(parking, 'BJ0000003A')).toBe(true);
    expect(verifyCheckDigit(parking, 'BJ0000003a')).toBe(true);
    expect(verifyCheckDigit(parking, 'BJ00000030')).toBe(false);
  });

  it('gives the modulus itself when subtraction meets a remainder of 0', () => {
    const noSubstitution: WeightedCheckDigit = { ...councilTax, resultSubstitutions: {} };
    expect(computeCheckCharacter(noSubstitution, '12345678?')).toBe('10');
    // A two-character result can never match one check character, so no such reference passes.
    for (const digit of '0123456789') {
      expect(verifyCheckDigit(noSubstitution, `12345678${digit}`)).toBe(false);
    }
  });

  it('counts nothing for non-digits and for positions beyond the weights', () => {
    const scheme: WeightedCheckDigit = {
      kind: 'weighted',
      modulus: 10,
      weights: [1, 1],
      subtractFromModulus: false,
    };
    expect(computeCheckCharacter(scheme, 'A9?')).toBe('9');
    expect(computeCheckCharacter(scheme, '999999?')).toBe('8');
  });

  it('never lets the check character weigh in on itself', () => {
    const scheme: WeightedCheckDigit = {
      kind: 'weighted',
      modulus: 10,
      weights: [1, 1, 5],
      subtractFromModulus: false,
    };
    expect(computeCheckCharacter(scheme, '23?')).toBe('5');
    expect(verifyCheckDigit(scheme, '235')).toBe(true);
  });

  it('honours a check position other than the last character', () => {
    const scheme: WeightedCheckDigit = {
      ...councilTax,
      weights: [0, 3, 7, 1, 3, 7, 1, 3, 7],
      checkPosition: 0,
    };
    expect(computeCheckCharacter(scheme, '?12345678')).toBe('0');
    expect(verifyCheckDigit(scheme, '012345678')).toBe(true);
    expect(verifyCheckDigit(scheme, '112345678')).toBe(false);
  });

  it('refuses, without throwing, a reference too short to hold its check character', () => {
    expect(verifyCheckDigit(parking, '')).toBe(false);
    expect(verifyCheckDigit({ ...parking, checkPosition: 12 }, 'BJ12345673')).toBe(false);
    expect(() => computeCheckCharacter(parking, '')).toThrow(RangeError);
  });

  it('catches every single-digit substitution when every payload weight is coprime to 11', () => {
    const weight = fc.integer({ min: 1, max: 10 });
    fc.assert(
      fc.property(
        fc.array(weight, { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (payloadWeights, seed, shift) => {
          const scheme: WeightedCheckDigit = {
            kind: 'weighted',
            modulus: 11,
            weights: [...payloadWeights, 0],
            subtractFromModulus: false,
            resultSubstitutions: { '10': 'X' },
          };
          const payload = payloadWeights.map((_, i) => String((seed + i * 7) % 10)).join('');
          const reference = payload + computeCheckCharacter(scheme, `${payload}?`);
          expect(verifyCheckDigit(scheme, reference)).toBe(true);
          const position = seed % payload.length;
          const changed = String((Number(payload[position]) + shift) % 10);
          const mutated = reference.slice(0, position) + changed + reference.slice(position + 1);
          expect(verifyCheckDigit(scheme, mutated)).toBe(false);
        },
      ),
    );
  });
});

/** A library card: 13 payload digits, weight 2 at even positions, the check at position 13. */
const libraryCard: DynixCheckDigit = {
  kind: 'dynix',
  modulus: 10,
  weights: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0],
};

describe('Dynix', () => {
  it('worked example: 2123400056789? sums to 59, and 59 mod 10 = 9', () => {
    // Even positions: digit × 2, minus 10 when over 10, plus 1 when the digit is over 4.
    // Odd positions: the digit as it is.
    const terms = [
      [0, '2', 4],
      [1, '1', 1],
      [2, '2', 4],
      [3, '3', 3],
      [4, '4', 8],
      [5, '0', 0],
      [6, '0', 0],
      [7, '0', 0],
      [8, '5', 11], // 10 is not over 10, so it stays 10; 5 is over 4, so 11
      [9, '6', 6],
      [10, '7', 5], // 14 − 10 + 1
      [11, '8', 8],
      [12, '9', 9], // 18 − 10 + 1
    ] as const;
    for (const [position, digit, term] of terms) {
      expect(dynixTerm(Number(digit), position, libraryCard.weights[position] ?? 0)).toBe(term);
    }
    expect(terms.reduce((sum, [, , term]) => sum + term, 0)).toBe(59);
    expect(computeCheckCharacter(libraryCard, '2123400056789?')).toBe('9');
    expect(verifyCheckDigit(libraryCard, '21234000567899')).toBe(true);
    expect(verifyCheckDigit(libraryCard, '21234000567898')).toBe(false);
  });

  it('a zero sum gives remainder 0, written through the result substitutions', () => {
    expect(computeCheckCharacter(libraryCard, '0000000000000?')).toBe('0');
    const written: DynixCheckDigit = { ...libraryCard, resultSubstitutions: { '0': 'Z' } };
    expect(computeCheckCharacter(written, '0000000000000?')).toBe('Z');
    expect(verifyCheckDigit(written, '0000000000000z')).toBe(true);
    expect(verifyCheckDigit(written, '00000000000000')).toBe(false);
  });

  it('maps a remainder of 10 through the result substitutions, and refuses it without one', () => {
    const eleven: DynixCheckDigit = {
      kind: 'dynix',
      modulus: 11,
      weights: [2, 1, 2, 1, 0],
      resultSubstitutions: { '10': 'X' },
    };
    // 0 + 5 + 0 + 5 = 10, and 10 mod 11 = 10, written X.
    expect(computeCheckCharacter(eleven, '0505?')).toBe('X');
    expect(verifyCheckDigit(eleven, '0505X')).toBe(true);
    expect(verifyCheckDigit(eleven, '0505x')).toBe(true);
    const unwritten: DynixCheckDigit = { ...eleven, resultSubstitutions: {} };
    expect(computeCheckCharacter(unwritten, '0505?')).toBe('10');
    for (const character of '0123456789X') {
      expect(verifyCheckDigit(unwritten, `0505${character}`)).toBe(false);
    }
  });

  it('subtracts 10 only from a product over 10, which shows with a modulus other than 10', () => {
    const scheme: DynixCheckDigit = { kind: 'dynix', modulus: 11, weights: [2, 0] };
    // 5 × 2 = 10 is not over 10: the term is 10 + 1 = 11, and 11 mod 11 = 0 (not 1).
    expect(computeCheckCharacter(scheme, '5?')).toBe('0');
    // 6 × 2 = 12 is: 12 − 10 + 1 = 3.
    expect(computeCheckCharacter(scheme, '6?')).toBe('3');
    // 4 × 2 = 8, and 4 is not over 4: 8.
    expect(computeCheckCharacter(scheme, '4?')).toBe('8');
    // A heavier weight is reduced once only: 9 × 9 = 81 − 10 + 1 = 72, and 72 mod 11 = 6.
    expect(computeCheckCharacter({ ...scheme, weights: [9, 0] }, '9?')).toBe('6');
  });

  it('counts nothing for letters, at even and odd positions alike', () => {
    const scheme: DynixCheckDigit = { kind: 'dynix', modulus: 10, weights: [2, 1, 2, 1, 0] };
    // L and B count nothing; then 1 at position 2 gives 2, and 2 at position 3 gives 2.
    expect(computeCheckCharacter(scheme, 'LB12?')).toBe('4');
    expect(computeCheckCharacter(scheme, '00124')).toBe('4');
    expect(computeCheckCharacter(scheme, 'L0B2?')).toBe('2');
    expect(verifyCheckDigit(scheme, 'lb124')).toBe(true);
  });

  it('adds odd-position digits as they are, whatever their configured weight', () => {
    const ones: DynixCheckDigit = { kind: 'dynix', modulus: 10, weights: [2, 1, 2, 1, 0] };
    const sevens: DynixCheckDigit = { ...ones, weights: [2, 7, 2, 7, 0] };
    expect(computeCheckCharacter(sevens, '1234?')).toBe(computeCheckCharacter(ones, '1234?'));
  });

  it('counts nothing beyond the weights, and never counts the check character itself', () => {
    const short: DynixCheckDigit = { kind: 'dynix', modulus: 10, weights: [2, 1] };
    expect(computeCheckCharacter(short, '1299?')).toBe('4');
    const leading: DynixCheckDigit = { ...libraryCard, checkPosition: 0 };
    expect(computeCheckCharacter(leading, '?123400056789')).toBe(
      computeCheckCharacter(leading, '7123400056789'),
    );
  });
});

describe('Luhn', () => {
  it('accepts the classic example and refuses its neighbours', () => {
    expect(luhnCheck('79927398713')).toBe(true);
    expect(luhnCheck('79927398710')).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(verifyCheckDigit({ kind: 'luhn' }, '79927398713')).toBe(true);
    expect(computeCheckCharacter({ kind: 'luhn' }, '7992739871?')).toBe('3');
  });

  it('refuses empty, single-digit and non-digit input', () => {
    expect(luhnCheck('')).toBe(false);
    expect(luhnCheck('0')).toBe(false);
    expect(luhnCheck('7992739871A')).toBe(false);
    expect(luhnCheck('79927 398713')).toBe(false);
    expect(luhnCheckDigit('')).toBeNull();
    expect(luhnCheckDigit('12A')).toBeNull();
  });

  it('catches every single-digit substitution', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{1,18}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (payload, seed, shift) => {
          const reference = payload + luhnCheckDigit(payload);
          expect(luhnCheck(reference)).toBe(true);
          const position = seed % reference.length;
          const changed = String((Number(reference[position]) + shift) % 10);
          expect(
            luhnCheck(reference.slice(0, position) + changed + reference.slice(position + 1)),
          ).toBe(false);
        },
      ),
    );
  });
});
