// Proves the cash desk's pure rules: sort codes, tenders, change due, the journal of a basket
// with VAT and a write-back line (always balanced), the same reference twice, a return's count
// checks (negative, unknown denominations, cheques without numbers), its totals and over/short,
// the over/short journal, closing times, and that the hand-written receipt PDF is well formed.
import { describe, expect, it } from 'vitest';
import { receiptPdf } from '../../api/receiptPdf';
import {
  changeDuePence,
  counterJournalLines,
  duplicateLineProblems,
  normaliseSortCode,
  tenderProblems,
  withVat,
} from '../../domain/cashDesk';
import {
  bagTotals,
  isPastClosing,
  overShortLines,
  type ReturnContent,
  returnContentProblems,
  returnTotals,
  submitProblems,
} from '../../domain/cashReturn';
import { receiptRows } from '../../domain/receipt';

const lib = (reference: string, amountPence: number) =>
  withVat({ fundCode: 'LIB', reference, amountPence, vatCode: 'S', vatRateBasisPoints: 2000 });

describe('counter payments', () => {
  it('reads sort codes with or without separators, and refuses anything but 6 digits', () => {
    expect(normaliseSortCode('12-34-56')).toBe('123456');
    expect(normaliseSortCode('12 34 56')).toBe('123456');
    expect(normaliseSortCode('12345')).toBeNull();
    expect(normaliseSortCode('12-34-5x')).toBeNull();
  });

  it('checks each tender and gives change for cash only', () => {
    expect(tenderProblems({ kind: 'cash', tenderedPence: 999 }, 1_000)).toEqual([
      expect.objectContaining({ field: 'tender.tenderedPence' }),
    ]);
    expect(tenderProblems({ kind: 'cash', tenderedPence: 1_000 }, 1_000)).toEqual([]);
    const cheque = { kind: 'cheque', drawer: ' ', sortCode: '1234', chequeNumber: '12' } as const;
    expect(tenderProblems(cheque, 1).map((problem) => problem.field)).toEqual([
      'tender.sortCode',
      'tender.chequeNumber',
      'tender.drawer',
    ]);
    expect(tenderProblems({ kind: 'pdq', authorisationCode: '' }, 1)).toHaveLength(1);
    expect(changeDuePence({ kind: 'cash', tenderedPence: 2_000 }, 1_999)).toBe(1);
    expect(changeDuePence({ kind: 'pdq', authorisationCode: 'AB12' }, 1_999)).toBe(0);
  });

  it('posts a basket with VAT and a write-back line as a balanced journal', () => {
    const lines = [lib('BOOK-1', -1_200), lib('BOOK-2', 1_200), lib('BOOK-3', 600)];
    expect(lines.map((line) => line.vatPence)).toEqual([-200, 200, 100]);
    const journal = counterJournalLines('cash', lines);
    expect(journal.map((line) => [line.accountCode, line.debitPence, line.creditPence])).toEqual([
      ['CTRL:CASH', 600, 0],
      ['FUND:LIB', 1_000, 0],
      ['FUND:LIB', 0, 1_000],
      ['FUND:LIB', 0, 500],
      ['CTRL:VAT_OUTPUT', 0, 100],
    ]);
    // VAT pence on a posting is never negative: a write-back line keeps its size on the debit.
    expect(journal.every((line) => (line.vatPence ?? 0) >= 0)).toBe(true);
    expect(counterJournalLines('pdq', [lib('X', 100)])[0]?.accountCode).toBe('CTRL:PDQ_CLEARING');
  });

  it('leaves the till out when write-back and replacement net to nothing', () => {
    const journal = counterJournalLines('cash', [lib('A', -500), lib('B', 500)]);
    expect(journal.some((line) => line.accountCode === 'CTRL:CASH')).toBe(false);
  });

  it('refuses the same fund and reference twice in one basket', () => {
    const line = { fundCode: 'SUND', reference: '12345678', amountPence: 1 };
    expect(duplicateLineProblems([line, { ...line, fundCode: 'CTAX' }])).toEqual([]);
    expect(duplicateLineProblems([line, line])).toEqual([
      { field: 'lines[1].reference', message: 'is already on line 1 of this basket' },
    ]);
  });
});

describe('cash returns', () => {
  const content: ReturnContent = {
    bags: [
      { bagNo: 'B1', counts: { '5000': 1, '1': 3 } },
      { bagNo: 'B2', counts: { '10': 2 } },
    ],
    cheques: [{ bagNo: 'B2', chequeNumber: '000123', drawer: 'X', amountPence: 1_000 }],
  };

  it('totals each bag, cash and cheques', () => {
    expect(bagTotals(content)).toEqual([
      { bagNo: 'B1', cashPence: 5_003, chequePence: 0, totalPence: 5_003 },
      { bagNo: 'B2', cashPence: 20, chequePence: 1_000, totalPence: 1_020 },
    ]);
  });

  it('names every bad count: negative, unknown denomination, a cheque without a number', () => {
    const problems = returnContentProblems({
      bags: [
        { bagNo: 'B1', counts: { '500': -1, '300': 1 } },
        { bagNo: 'B1', counts: {} },
      ],
      cheques: [{ bagNo: 'B9', chequeNumber: '', drawer: '', amountPence: 0 }],
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      // Integer-like keys come in numeric order, as JavaScript keeps them.
      'bags[0].counts.300',
      'bags[0].counts.500',
      'bags[1].bagNo',
      'cheques[0].bagNo',
      'cheques[0].chequeNumber',
      'cheques[0].amountPence',
    ]);
  });

  it('is over or short by declared minus expected, and must be explained unless it balances', () => {
    const short = returnTotals(content, { cashPence: 5_033, chequePence: 1_000 });
    expect(short.overShortPence).toBe(-10);
    expect(submitProblems(content, short)).toEqual([
      expect.objectContaining({ field: 'explanation', message: expect.stringContaining('short') }),
    ]);
    expect(submitProblems({ ...content, explanation: 'Coin lost' }, short)).toEqual([]);
    const exact = returnTotals(content, { cashPence: 5_023, chequePence: 1_000 });
    expect(submitProblems(content, exact)).toEqual([]);
  });

  it('posts a shortage to over/short from cash in hand, an overage the other way, a balance not at all', () => {
    const pairs = (lines: ReturnType<typeof overShortLines>) =>
      lines?.map((line) => [line.accountCode, line.debitPence, line.creditPence]);
    expect(pairs(overShortLines(-10, 'x'))).toEqual([
      ['CTRL:CASH_OVER_SHORT', 10, 0],
      ['CTRL:CASH', 0, 10],
    ]);
    expect(pairs(overShortLines(25, 'x'))).toEqual([
      ['CTRL:CASH', 25, 0],
      ['CTRL:CASH_OVER_SHORT', 0, 25],
    ]);
    expect(overShortLines(0, 'x')).toBeNull();
  });

  it('is past closing on a later day, or the same day after the office closes (UK time)', () => {
    const noonBst = Date.parse('2026-07-01T11:00:00Z'); // 12:00 in London
    expect(isPastClosing('2026-07-01', '17:00', noonBst)).toBe(false);
    expect(isPastClosing('2026-07-01', '12:00', noonBst)).toBe(true);
    expect(isPastClosing('2026-06-30', '23:59', noonBst)).toBe(true);
    expect(isPastClosing('2026-07-02', '00:00', noonBst)).toBe(false);
  });
});

describe('receipts', () => {
  const input = {
    councilName: 'Demo Borough Council',
    officeName: 'Civic Centre (Main)',
    officeCode: 'CC',
    receiptNo: 42,
    takenAt: '04/12/2026, 10:00:00',
    cashier: 'cashier1',
    tenderKind: 'cash',
    amountPence: 1_200,
    tenderedPence: 2_000,
    changePence: 800,
    chequeNumber: null,
    pdqAuthCode: null,
    state: 'posted',
    lines: [
      {
        fundName: 'Library charges',
        reference: 'BOOK-1',
        narrative: 'Lost book',
        amountPence: 1_200,
        vatCode: 'S',
        vatRateBasisPoints: 2000,
        vatPence: 200,
      },
    ],
    copy: false,
  };

  it('shows the number, the VAT and the change; a reprint says COPY', () => {
    const text = receiptRows(input).map((row) => `${row.text} ${row.amount ?? ''}`);
    expect(text).toContain('Receipt CC/000042 ');
    expect(text).toContain('  includes VAT at 20% (S) £2.00');
    expect(text).toContain('Change £8.00');
    expect(text.some((line) => line.startsWith('COPY'))).toBe(false);
    expect(receiptRows({ ...input, copy: true }).some((row) => row.text.startsWith('COPY'))).toBe(
      true,
    );
  });

  it('is a PDF whose cross-reference table points at each object', () => {
    const bytes = receiptPdf(receiptRows(input), 'Receipt CC/000042');
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    // "£" is one WinAnsi byte; brackets in text are escaped.
    expect(bytes.includes(Buffer.from([0xa3]))).toBe(true);
    expect(text).toContain('Civic Centre \\(Main\\)');
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
    expect(text.slice(xrefAt).startsWith('xref\n0 8\n')).toBe(true);
    const offsets = text
      .slice(xrefAt)
      .split('\n')
      .slice(3, 10)
      .map((line) => Number(line.slice(0, 10)));
    offsets.forEach((offset, index) => {
      expect(text.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true);
    });
  });
});
