// Proves the GL export and fund feed formatters write pounds exactly (negatives, zero, one
// penny, huge sums), sort deterministically whatever the input order, and close with a
// balanced control-total trailer, refusing an unbalanced day.
import { describe, expect, it } from 'vitest';
import {
  buildFundFeed,
  buildGlExport,
  csvField,
  defaultGlLayout,
  formatPounds,
  type GlLayout,
  type GlPostingRow,
  glLayoutProblems,
} from '../../domain/glExport';

describe('formatPounds', () => {
  it('writes pence as decimal pounds with integer arithmetic', () => {
    expect(formatPounds(0)).toBe('0.00');
    expect(formatPounds(1)).toBe('0.01');
    expect(formatPounds(-1)).toBe('-0.01');
    expect(formatPounds(10)).toBe('0.10');
    expect(formatPounds(12_345)).toBe('123.45');
    expect(formatPounds(-12_300)).toBe('-123.00');
    expect(formatPounds(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('refuses anything but whole pence', () => {
    expect(() => formatPounds(1.5)).toThrow('not a whole number of pence');
    expect(() => formatPounds(Number.NaN)).toThrow('not a whole number of pence');
  });
});

describe('csvField', () => {
  it('quotes only fields that need it', () => {
    expect(csvField('L100')).toBe('L100');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});

const row = (overrides: Partial<GlPostingRow>): GlPostingRow => ({
  ledgerCode: 'L100',
  costCentre: 'C1',
  vatCode: 'O',
  financialYear: '2026/27',
  period: 8,
  debitPence: 0,
  creditPence: 0,
  ...overrides,
});

const rows: GlPostingRow[] = [
  row({ ledgerCode: 'L200', costCentre: 'C2', vatCode: 'S', creditPence: 1_001 }),
  row({ ledgerCode: 'CTRL:PSP_CLEARING', costCentre: '', vatCode: '', debitPence: 13_346 }),
  row({ creditPence: 12_345 }),
];

describe('buildGlExport', () => {
  it('writes a header, one sorted line per key and a balanced trailer', () => {
    const gl = buildGlExport('2026-11-20', rows);
    expect(gl.csv).toBe(
      [
        'posting_date,financial_year,period,ledger_code,cost_centre,vat_code,debit,credit',
        '2026-11-20,2026/27,08,CTRL:PSP_CLEARING,,,133.46,0.00',
        '2026-11-20,2026/27,08,L100,C1,O,0.00,123.45',
        '2026-11-20,2026/27,08,L200,C2,S,0.00,10.01',
        'TRAILER,3,133.46,133.46',
        '',
      ].join('\r\n'),
    );
    expect(gl).toMatchObject({ lineCount: 3, totalDebitPence: 13_346, totalCreditPence: 13_346 });
  });

  it('gives the same bytes for any input order, merging rows of one key', () => {
    const split = [...rows, row({ creditPence: 0, debitPence: 5 }), row({ creditPence: 5 })];
    const forwards = buildGlExport('2026-11-20', split).csv;
    expect(buildGlExport('2026-11-20', [...split].reverse()).csv).toBe(forwards);
    expect(forwards).toContain('L100,C1,O,0.05,123.50\r\n');
  });

  it('keeps debits and credits apart on one line rather than netting them', () => {
    const gl = buildGlExport('2026-11-20', [row({ debitPence: 100 }), row({ creditPence: 100 })]);
    expect(gl.csv).toContain('L100,C1,O,1.00,1.00\r\n');
  });

  it('writes an empty day as header and zero trailer', () => {
    expect(buildGlExport('2026-11-20', []).csv).toBe(
      'posting_date,financial_year,period,ledger_code,cost_centre,vat_code,debit,credit\r\nTRAILER,0,0.00,0.00\r\n',
    );
  });

  it('refuses a day whose debits and credits differ by a penny', () => {
    expect(() =>
      buildGlExport('2026-11-20', [row({ debitPence: 101 }), row({ creditPence: 100 })]),
    ).toThrow('does not balance');
  });
});

describe('GL layouts', () => {
  it('writes the default layout byte for byte as before', () => {
    expect(buildGlExport('2026-11-20', rows, defaultGlLayout).csv).toBe(
      buildGlExport('2026-11-20', rows).csv,
    );
  });

  it('reorders and renames columns and writes the date as configured', () => {
    const layout: GlLayout = {
      columns: [
        { field: 'ledger_code', header: 'Account' },
        { field: 'posting_date', header: 'Date' },
        { field: 'debit', header: 'Dr' },
        { field: 'credit', header: 'Cr' },
      ],
      dateFormat: 'DD/MM/YYYY',
      signConvention: 'separate_columns',
    };
    const gl = buildGlExport('2026-11-20', rows, layout);
    expect(gl.csv.split('\r\n').slice(0, 2)).toEqual([
      'Account,Date,Dr,Cr',
      'CTRL:PSP_CLEARING,20/11/2026,133.46,0.00',
    ]);
    expect(gl.csv.endsWith('TRAILER,3,133.46,133.46\r\n')).toBe(true);
  });

  it('signs one amount column, a line per side so nothing is netted', () => {
    const both = [row({ debitPence: 100 }), row({ creditPence: 100 })];
    const layout: GlLayout = {
      columns: [
        { field: 'ledger_code', header: 'code' },
        { field: 'amount', header: 'amount' },
      ],
      dateFormat: 'YYYYMMDD',
      signConvention: 'credit_positive',
    };
    const gl = buildGlExport('2026-11-20', both, layout);
    expect(gl.csv).toBe('code,amount\r\nL100,-1.00\r\nL100,1.00\r\nTRAILER,2,1.00,1.00\r\n');
    expect(gl.lineCount).toBe(2);
    const debitPositive = buildGlExport('2026-11-20', both, {
      ...layout,
      signConvention: 'debit_positive',
    });
    expect(debitPositive.csv).toContain('L100,1.00\r\nL100,-1.00\r\n');
  });

  it('refuses layouts that cannot carry the money', () => {
    expect(glLayoutProblems(defaultGlLayout)).toEqual([]);
    const noCredit: GlLayout = {
      ...defaultGlLayout,
      columns: defaultGlLayout.columns.filter((column) => column.field !== 'credit'),
    };
    expect(glLayoutProblems(noCredit)).toEqual([
      'separate_columns needs a debit and a credit column',
    ]);
    expect(() => buildGlExport('2026-11-20', rows, noCredit)).toThrow('cannot be used');
    expect(
      glLayoutProblems({ ...defaultGlLayout, signConvention: 'debit_positive' }).length,
    ).toBeGreaterThan(0);
  });
});

describe('buildFundFeed', () => {
  it('lists fund postings by fund then journal, income positive, with a total', () => {
    const csv = buildFundFeed('2026-11-20', [
      { fundCode: 'LIB', accountReference: 'X1', amountPence: 500, journalId: 'jnl_b', lineNo: 2 },
      { fundCode: 'CTAX', accountReference: '123', amountPence: -1, journalId: 'jnl_b', lineNo: 3 },
      {
        fundCode: 'CTAX',
        accountReference: '456',
        amountPence: 1_000,
        journalId: 'jnl_a',
        lineNo: 2,
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'posting_date,fund_code,account_reference,amount,journal_id',
      '2026-11-20,CTAX,456,10.00,jnl_a',
      '2026-11-20,CTAX,123,-0.01,jnl_b',
      '2026-11-20,LIB,X1,5.00,jnl_b',
      'TRAILER,3,14.99',
      '',
    ]);
  });
});
