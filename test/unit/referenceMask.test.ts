// Proves that input masks accept exactly the characters each mask symbol allows, compare
// literals case-insensitively, and report the first bad position or a length mismatch clearly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPositionOf, matchesMask } from '../../domain/references';

const digits = '0123456789';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('matchesMask', () => {
  it('accepts the worked examples', () => {
    expect(matchesMask('BJ#######@', 'BJ12345673')).toEqual({ ok: true });
    expect(matchesMask('########@', '123456780')).toEqual({ ok: true });
  });

  it('compares literals upper-cased on both sides', () => {
    expect(matchesMask('BJ#######@', 'bj12345673')).toEqual({ ok: true });
    expect(matchesMask('bj#', 'BJ1')).toEqual({ ok: true });
  });

  it.each([
    ['#', '5', true],
    ['#', 'A', false],
    ['#', ' ', false],
    ['$', 'a', true],
    ['$', 'Z', true],
    ['$', '1', false],
    ['$', 'É', false],
    ['?', 'Q', true],
    ['?', '7', true],
    ['?', '-', false],
    ['*', 'k', true],
    ['*', '3', true],
    ['*', ' ', true],
    ['*', '/', true],
    ['*', '-', true],
    ['*', '.', false],
    ['*', '_', false],
    ['@', 'X', true],
    ['@', '!', true],
    ['-', '-', true],
    ['-', '/', false],
  ])('mask %j with %j: %s', (mask, reference, accepted) => {
    expect(matchesMask(mask, reference).ok).toBe(accepted);
  });

  it('reports the first bad character, 0-based, and what was expected', () => {
    expect(matchesMask('BJ#######@', 'BX1234567A')).toEqual({
      ok: false,
      reason: 'character',
      position: 1,
      expected: '"J"',
    });
    expect(matchesMask('BJ#######@', 'BJ12A45673')).toEqual({
      ok: false,
      reason: 'character',
      position: 4,
      expected: 'a digit',
    });
  });

  it('reports a short or long reference with the length the mask needs', () => {
    expect(matchesMask('########@', '12345678')).toEqual({
      ok: false,
      reason: 'too_short',
      position: 8,
      expected: '9 characters',
    });
    expect(matchesMask('########@', '1234567801')).toEqual({
      ok: false,
      reason: 'too_long',
      position: 9,
      expected: '9 characters',
    });
    expect(matchesMask('#', '')).toMatchObject({ ok: false, reason: 'too_short', position: 0 });
    expect(matchesMask('', '')).toEqual({ ok: true });
  });

  it('reports a wrong character before a wrong length', () => {
    expect(matchesMask('BJ#######@', 'BX1')).toMatchObject({ reason: 'character', position: 1 });
  });

  it('accepts any reference built from the mask and refuses any non-digit in a # slot', () => {
    const slot = fc.constantFrom(...'#$?*@-');
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 12 }), fc.nat(), (slots, seed) => {
        const mask = slots.join('');
        const pick = (choices: string, offset: number) =>
          choices.charAt((seed + offset) % choices.length);
        const reference = slots
          .map((symbol, index) => {
            if (symbol === '#') return pick(digits, index);
            if (symbol === '$') return pick(letters, index);
            if (symbol === '?' || symbol === '*') return pick(digits + letters, index);
            if (symbol === '@') return pick('0123456789AX', index);
            return symbol;
          })
          .join('');
        expect(matchesMask(mask, reference)).toEqual({ ok: true });
        const digitSlot = slots.indexOf('#');
        if (digitSlot >= 0) {
          const broken = `${reference.slice(0, digitSlot)}Q${reference.slice(digitSlot + 1)}`;
          expect(matchesMask(mask, broken)).toMatchObject({ ok: false, position: digitSlot });
        }
      }),
    );
  });
});

describe('checkPositionOf', () => {
  it('finds the check character or says there is none', () => {
    expect(checkPositionOf('BJ#######@')).toBe(9);
    expect(checkPositionOf('@####')).toBe(0);
    expect(checkPositionOf('########')).toBeNull();
    expect(checkPositionOf('')).toBeNull();
  });
});
