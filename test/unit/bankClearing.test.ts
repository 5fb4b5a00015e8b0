// Proves the clearing journal of a bank match: the bank debited with what arrived, each
// clearing account credited with what it expected, a difference left on the largest, and
// nothing posted for direct credits already booked to the bank.
import { describe, expect, it } from 'vitest';
import { clearingJournalLines } from '../../domain/bankClearing';

const bank = 'CTRL:BANK';
const sides = (lines: ReturnType<typeof clearingJournalLines>) =>
  lines?.map((line) => [line.accountCode, line.debitPence, line.creditPence]);

describe('clearingJournalLines', () => {
  it('moves a payout from PSP clearing to the bank', () => {
    const lines = clearingJournalLines(
      bank,
      10_000,
      [{ accountCode: 'CTRL:PSP_CLEARING', amountPence: 10_000 }],
      'n',
    );
    expect(sides(lines)).toEqual([
      [bank, 10_000, 0],
      ['CTRL:PSP_CLEARING', 0, 10_000],
    ]);
  });

  it('clears what arrived, leaving a short payout’s residue in clearing', () => {
    const lines = clearingJournalLines(
      bank,
      9_999,
      [{ accountCode: 'CTRL:PSP_CLEARING', amountPence: 10_000 }],
      'n',
    );
    expect(sides(lines)).toEqual([
      [bank, 9_999, 0],
      ['CTRL:PSP_CLEARING', 0, 9_999],
    ]);
  });

  it('credits each account of a mixed banking, the difference on the largest', () => {
    const lines = clearingJournalLines(
      bank,
      1_502,
      [
        { accountCode: 'CTRL:COLLECTION_CLEARING', amountPence: 500 },
        { accountCode: 'CTRL:CASH', amountPence: 1_000 },
      ],
      'n',
    );
    expect(sides(lines)).toEqual([
      [bank, 1_502, 0],
      ['CTRL:CASH', 0, 1_002],
      ['CTRL:COLLECTION_CLEARING', 0, 500],
    ]);
  });

  it('posts nothing for direct credits, and only the rest when mixed with them', () => {
    expect(clearingJournalLines(bank, 700, [{ accountCode: bank, amountPence: 700 }], 'n')).toBe(
      null,
    );
    const mixed = clearingJournalLines(
      bank,
      1_700,
      [
        { accountCode: bank, amountPence: 700 },
        { accountCode: 'CTRL:PSP_CLEARING', amountPence: 1_000 },
      ],
      'n',
    );
    expect(sides(mixed)).toEqual([
      [bank, 1_000, 0],
      ['CTRL:PSP_CLEARING', 0, 1_000],
    ]);
  });

  it('refuses nonsense amounts', () => {
    expect(() =>
      clearingJournalLines(bank, 0, [{ accountCode: 'X', amountPence: 1 }], 'n'),
    ).toThrow();
    expect(() => clearingJournalLines(bank, 1, [], 'n')).toThrow();
  });
});
