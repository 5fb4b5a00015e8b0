// Proves, for every scheme the IMS knows (every configured demo scheme, a library card, and
// arbitrary weighted, Dynix and Luhn configurations), that a reference built with the computed
// check character passes, and that every one-character change of it fails exactly when the
// scheme can detect it: when the scheme's own equation, worked out independently below, no
// longer holds for the changed reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoFunds } from '../../domain/demoFunds';
import {
  type CheckDigitScheme,
  checkDigitKinds,
  computeCheckCharacter,
  type DynixCheckDigit,
  verifyCheckDigit,
  type WeightedCheckDigit,
} from '../../domain/references';

const replacements = '0123456789ABJXZ ';

const isDigit = (character: string) => character >= '0' && character <= '9';

/** The scheme's equation written out plainly: the check character it wants, or null. */
function modelCheck(scheme: CheckDigitScheme, reference: string): string | null {
  const checkPosition =
    scheme.kind !== 'luhn' && scheme.checkPosition !== undefined
      ? scheme.checkPosition
      : reference.length - 1;
  if (scheme.kind === 'luhn') {
    const payload = [...reference.slice(0, -1)];
    if (payload.length === 0 || !payload.every(isDigit)) return null;
    const sum = payload
      .reverse()
      .map((character, index) => {
        const digit = Number(character);
        if (index % 2 === 1) return digit;
        return digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      })
      .reduce((total, term) => total + term, 0);
    return String((10 - (sum % 10)) % 10);
  }
  const source = scheme.kind === 'weighted' ? (scheme.sourceSubstitution ?? '') : '';
  const characters = [...reference].map((character, index) => source[index] ?? character);
  let sum = 0;
  characters.forEach((character, position) => {
    const weight = scheme.weights[position];
    if (position === checkPosition || weight === undefined || !isDigit(character)) return;
    const digit = Number(character);
    if (scheme.kind === 'weighted') sum += digit * weight;
    else if (position % 2 === 1) sum += digit;
    else sum += (digit * weight > 10 ? digit * weight - 10 : digit * weight) + (digit > 4 ? 1 : 0);
  });
  const remainder = sum % scheme.modulus;
  const result =
    scheme.kind === 'weighted' && scheme.subtractFromModulus
      ? scheme.modulus - remainder
      : remainder;
  return scheme.resultSubstitutions?.[String(result)] ?? String(result);
}

function modelAccepts(scheme: CheckDigitScheme, reference: string): boolean {
  const position =
    scheme.kind !== 'luhn' && scheme.checkPosition !== undefined
      ? scheme.checkPosition
      : reference.length - 1;
  const expected = modelCheck(scheme, reference);
  return expected !== null && expected.length === 1 && reference.charAt(position) === expected;
}

function withCheck(scheme: CheckDigitScheme, payload: string, position: number): string {
  const placeholder = `${payload.slice(0, position)}?${payload.slice(position)}`;
  return placeholder.replace('?', computeCheckCharacter(scheme, placeholder));
}

function oneCharacterChanges(reference: string): string[] {
  const changes: string[] = [];
  for (let position = 0; position < reference.length; position++) {
    for (const replacement of replacements) {
      if (replacement === reference[position]) continue;
      changes.push(reference.slice(0, position) + replacement + reference.slice(position + 1));
    }
  }
  return changes;
}

/**
 * A valid reference passes; each change fails exactly when the model says it no longer holds.
 * Returns the changes of payload digits to other digits that went undetected.
 */
function checkEveryChange(scheme: CheckDigitScheme, reference: string): string[] {
  expect(verifyCheckDigit(scheme, reference), reference).toBe(true);
  expect(modelAccepts(scheme, reference), reference).toBe(true);
  const undetected: string[] = [];
  for (const changed of oneCharacterChanges(reference)) {
    const detectable = !modelAccepts(scheme, changed);
    expect(verifyCheckDigit(scheme, changed), `${reference} → ${changed}`).toBe(!detectable);
    if (!detectable && [...changed].every(isDigit)) undetected.push(changed);
  }
  return undetected;
}

const libraryCard: DynixCheckDigit = {
  kind: 'dynix',
  modulus: 10,
  weights: [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0],
};

/** The configured schemes: each demo fund's, with its payload shape, and a library card. */
const configured: { name: string; scheme: CheckDigitScheme; prefix: string; digits: number }[] = [
  ...demoFunds.flatMap((fund) => {
    const scheme = fund.validator.checkDigit;
    const mask = fund.validator.mask ?? '6'.padEnd(fund.validator.maxLength ?? 11, '#');
    if (scheme === undefined) return [];
    const prefix = /^[^#@]*/.exec(mask)?.[0] ?? '';
    return [{ name: fund.code, scheme, prefix, digits: mask.length - prefix.length - 1 }];
  }),
  { name: 'library card', scheme: libraryCard, prefix: '', digits: 13 },
];

describe('the set of schemes', () => {
  it('is closed and every scheme is exercised here', () => {
    expect([...checkDigitKinds].sort()).toEqual(['dynix', 'luhn', 'weighted']);
    const kinds = new Set(configured.map((entry) => entry.scheme.kind));
    expect([...kinds].sort()).toEqual([...checkDigitKinds].sort());
  });
});

describe.each(configured)('configured scheme: $name', ({ scheme, prefix, digits }) => {
  it('accepts a computed reference and catches every change it can, which is every digit slip', () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(`^\\d{${digits}}$`)), (payloadDigits) => {
        const payload = prefix + payloadDigits;
        const reference = withCheck(scheme, payload, payload.length);
        // Every configured scheme's payload weights make every single-digit slip detectable.
        expect(checkEveryChange(scheme, reference)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

const weightArbitrary = fc.integer({ min: 0, max: 12 });
const substitutionsArbitrary = (modulus: number) =>
  fc.dictionary(
    fc.integer({ min: 0, max: modulus }).map(String),
    fc.constantFrom(...'0123456789AXZ'),
    { maxKeys: 3 },
  );

const weightedArbitrary: fc.Arbitrary<WeightedCheckDigit> = fc
  .integer({ min: 2, max: 13 })
  .chain((modulus) =>
    fc.record({
      kind: fc.constant('weighted' as const),
      modulus: fc.constant(modulus),
      weights: fc.array(weightArbitrary, { minLength: 1, maxLength: 14 }),
      sourceSubstitution: fc.option(fc.stringMatching(/^[0-9]{0,2}$/), { nil: undefined }),
      subtractFromModulus: fc.boolean(),
      resultSubstitutions: substitutionsArbitrary(modulus),
    }),
  );

const dynixArbitrary: fc.Arbitrary<DynixCheckDigit> = fc
  .integer({ min: 2, max: 13 })
  .chain((modulus) =>
    fc.record({
      kind: fc.constant('dynix' as const),
      modulus: fc.constant(modulus),
      weights: fc.array(weightArbitrary, { minLength: 1, maxLength: 14 }),
      resultSubstitutions: substitutionsArbitrary(modulus),
    }),
  );

/** A payload of digits and letters (letters count nothing), and where the check goes. */
const payloadArbitrary = fc
  .stringMatching(/^[0-9A-Z]{1,12}$/)
  .chain((payload) => fc.tuple(fc.constant(payload), fc.nat({ max: payload.length })));

describe.each([
  ['weighted', weightedArbitrary],
  ['dynix', dynixArbitrary],
] as const)('any %s configuration', (_kind, schemeArbitrary) => {
  it('accepts a computed reference and refuses exactly the changes it can detect', () => {
    fc.assert(
      fc.property(
        schemeArbitrary,
        payloadArbitrary,
        fc.boolean(),
        (scheme, [payload, at], checkLast) => {
          const position = checkLast ? payload.length : at;
          const configuredScheme = checkLast ? scheme : { ...scheme, checkPosition: position };
          const placeholder = `${payload.slice(0, position)}?${payload.slice(position)}`;
          // A result with no one-character form (10 with no substitution) has no valid reference.
          fc.pre(computeCheckCharacter(configuredScheme, placeholder).length === 1);
          checkEveryChange(configuredScheme, withCheck(configuredScheme, payload, position));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('any Luhn reference', () => {
  it('passes when computed, and refuses every change, since it catches every digit slip', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,18}$/), (payload) => {
        const reference = withCheck({ kind: 'luhn' }, payload, payload.length);
        expect(checkEveryChange({ kind: 'luhn' }, reference)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
