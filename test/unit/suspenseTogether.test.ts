// Proves the pure rules of issue 14: allocating items together adds up to the penny both ways
// and slices each item's money over the parts exactly; a transfer with VAT balances and moves
// VAT with the funds; structured names, addresses and postcodes read as people write them.
import { describe, expect, it } from 'vitest';
import {
  displayAddress,
  displayName,
  normalisePostcode,
  postcodeKey,
} from '../../domain/accountHolders';
import { vatTransferLines } from '../../domain/refundHoldings';
import { checkTogether, slicesOf, togetherLines } from '../../domain/suspenseTogether';

const part = (fundCode: string, amountPence: number) => ({
  fundCode,
  reference: 'R1',
  amountPence,
  vatCode: 'O',
  vatRateBasisPoints: 0,
});

describe('checkTogether', () => {
  const items = [
    { suspenseId: 'sus_a', amountPence: 600 },
    { suspenseId: 'sus_b', amountPence: 300 },
  ];
  it('accepts items and credit notes that add up to the parts and the total', () => {
    expect(
      checkTogether({
        items,
        creditNotes: [{ amountPence: 100 }],
        parts: [{ amountPence: 1_000 }],
        totalPence: 1_000,
      }),
    ).toBeNull();
  });
  it('refuses a penny out either way, and an item named twice', () => {
    expect(
      checkTogether({ items, creditNotes: [], parts: [{ amountPence: 901 }], totalPence: 901 })
        ?.field,
    ).toBe('totalPence');
    expect(
      checkTogether({ items, creditNotes: [], parts: [{ amountPence: 900 }], totalPence: 901 })
        ?.field,
    ).toBe('totalPence');
    expect(
      checkTogether({
        items: [items[0]!, items[0]!],
        creditNotes: [],
        parts: [{ amountPence: 1_200 }],
        totalPence: 1_200,
      })?.field,
    ).toBe('items[1].suspenseId');
  });
});

describe('slicesOf', () => {
  it('fills the parts in order, each source’s slices adding up to it exactly', () => {
    const slices = slicesOf(
      [{ amountPence: 600 }, { amountPence: 300 }, { amountPence: 100 }],
      [part('CTAX', 800), part('PCN', 200)],
    );
    expect(slices.map((s) => s.map((slice) => [slice.fundCode, slice.amountPence]))).toEqual([
      [['CTAX', 600]],
      [
        ['CTAX', 200],
        ['PCN', 100],
      ],
      [['PCN', 100]],
    ]);
  });
  it('never lets the sources exceed the parts', () => {
    expect(() => slicesOf([{ amountPence: 2 }], [part('CTAX', 1)])).toThrow();
  });
});

describe('togetherLines', () => {
  it('balances with a VAT-bearing credit note: its VAT comes back from VAT output', () => {
    const lines = togetherLines(
      'SUSP',
      [{ suspenseId: 'sus_a', amountPence: 900, receivedReference: ' a smith ' }],
      [{ ...part('LIB', 120), vatCode: 'S', vatRateBasisPoints: 2_000 }],
      [part('CTAX', 1_020)],
    );
    expect(
      lines.map((l) => [l.accountCode, l.accountReference ?? null, l.debitPence, l.creditPence]),
    ).toEqual([
      ['FUND:SUSP', 'A SMITH', 900, 0],
      ['FUND:LIB', 'R1', 100, 0],
      ['CTRL:VAT_OUTPUT', null, 20, 0],
      ['FUND:CTAX', 'R1', 0, 1_020],
    ]);
  });
});

describe('vatTransferLines', () => {
  const lib = { fundCode: 'LIB', reference: 'L1', vatCode: 'S', vatRateBasisPoints: 2_000 };
  const ctax = { fundCode: 'CTAX', reference: null, vatCode: 'O', vatRateBasisPoints: 0 };
  it('gives the source’s VAT back and charges none at an outside-scope target', () => {
    expect(
      vatTransferLines(1, lib, ctax).reduce((sum, l) => sum + l.debitPence - l.creditPence, 0),
    ).toBe(0);
    const lines = vatTransferLines(6_000, lib, ctax);
    expect(lines.map((l) => [l.accountCode, l.debitPence, l.creditPence])).toEqual([
      ['FUND:LIB', 5_000, 0],
      ['CTRL:VAT_OUTPUT', 1_000, 0],
      ['FUND:CTAX', 0, 6_000],
    ]);
  });
  it('charges VAT the other way round', () => {
    const lines = vatTransferLines(6_000, ctax, lib);
    expect(lines.map((l) => [l.accountCode, l.debitPence, l.creditPence])).toEqual([
      ['FUND:CTAX', 6_000, 0],
      ['FUND:LIB', 0, 5_000],
      ['CTRL:VAT_OUTPUT', 0, 1_000],
    ]);
  });
});

describe('account holder names and postcodes', () => {
  it('joins what was given and skips what was not', () => {
    const none = { title: null, forenames: null, surname: null, organisation: null };
    expect(displayName({ ...none, title: 'Mrs', forenames: 'Ann', surname: 'Smith' })).toBe(
      'Mrs Ann Smith',
    );
    expect(displayName({ ...none, organisation: 'Smith & Co' })).toBe('Smith & Co');
    expect(
      displayAddress({
        addressLine1: '1 High St',
        addressLine2: ' ',
        town: 'Leeds',
        postcode: 'LS1 1AA',
      }),
    ).toBe('1 High St, Leeds, LS1 1AA');
  });
  it('reads postcodes in any case and spacing, and refuses what is not one', () => {
    expect(normalisePostcode(' s702ta ')).toBe('S70 2TA');
    expect(normalisePostcode('ec1a  1bb')).toBe('EC1A 1BB');
    expect(normalisePostcode('S70')).toBeNull();
    expect(normalisePostcode('12345')).toBeNull();
    expect(postcodeKey('s70 2ta')).toBe('S702TA');
  });
});
