// Proves the weighted-sum and Luhn check digits follow domain.md §3 exactly: both worked
// examples by hand, substitutions, the remainder-0 rule, and that single-digit slips are caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeCheckCharacter,
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
