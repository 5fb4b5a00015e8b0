// Proves that MT940 and MT942 files are read as banks send them (envelopes, preambles, several
// statements and accounts, structured narratives, every :61: subfield, interim reports), and
// that a file is refused whole, naming the line, when balances, numbering, sums or currency are
// wrong. Every sample is made up for the test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMt940Parser, type ImportRow } from '../../domain/imports';
import { chunked, parseAll, utf8 } from './importsHelpers';
import {
  canonical,
  closingPence,
  type EntryModel,
  layoutModel,
  narrativeText,
  signedPence,
  statementsModel,
  writeMt940,
} from './mt940Writer';

const parser = createMt940Parser();
const accountA = 'GB12NWBK60161331926819';
const accountB = 'GB98LOYD30963412345678';
const accountEur = 'DE89370400440532013000';

async function read(lines: readonly string[], chosen = parser) {
  return parseAll(chosen, [`${lines.join('\r\n')}\r\n`]);
}

type StatementSpec = {
  account: string;
  number: string;
  opening: string;
  entries?: readonly string[];
  closing: string;
};

/** One bare statement (no envelope); balances are written as in the file, e.g. 'C250331GBP10,00'. */
function statement({ account, number, opening, entries = [], closing }: StatementSpec): string[] {
  const open = opening.startsWith('M') ? `:60M:${opening.slice(1)}` : `:60F:${opening}`;
  const close = closing.startsWith('M') ? `:62M:${closing.slice(1)}` : `:62F:${closing}`;
  return [`:20:S${number}`, `:25:${account}`, `:28C:${number}`, open, ...entries, close];
}

function essentials(row: ImportRow) {
  return [row.lineNo, row.accountId, row.reference, row.amountPence];
}

describe('MT940 envelopes and preambles', () => {
  it('skips a NatWest/Lloyds-like sender line, a 940 00 line, blank lines and separators', async () => {
    const { rows, summary } = await read([
      'NWBKGB2LXXX',
      '940 00',
      '',
      ...statement({
        account: accountA,
        number: '00012/001',
        opening: 'C250331GBP1000,00',
        entries: [':61:250401C25,00NTRFCTAX123456780', ':86:COUNCIL TAX'],
        closing: 'C250401GBP1025,00',
      }),
      '-',
      '$',
      'LOYDGB2L',
      '940',
      ...statement({
        account: accountB,
        number: '7',
        opening: 'C250331GBP0,',
        entries: [':61:250401C1,NTRFBR1'],
        closing: 'C250401GBP1,',
      }),
      '-',
    ]);
    expect(summary.errors).toEqual([]);
    expect(rows.map(essentials)).toEqual([
      [8, accountA, 'CTAX123456780', 2500],
      [19, accountB, 'BR1', 100],
    ]);
  });

  it('reads SWIFT envelopes with {4: at a line end, alone, or before the first tag, and {5: trailers', async () => {
    const body = (number: string, opening: string, closing: string) =>
      statement({
        account: accountA,
        number,
        opening,
        entries: [':61:250401C1,00NTRFX'],
        closing,
      });
    const { rows, summary } = await read([
      '{1:F01NWBKGB2LAXXX0000000000}{2:O9401200250401NWBKGB2LAXXX00000000002504011200N}{3:{108:ABC}}{4:',
      ...body('00001/001', 'C250331GBP0,', 'MC250401GBP1,'),
      '-}{5:{CHK:0123456789AB}}',
      '{1:F01NWBKGB2LAXXX0000000000}{2:O9401200250401NWBKGB2LAXXX00000000002504011200N}',
      '{4:',
      ...body('00001/002', 'MC250401GBP1,', 'MC250401GBP2,'),
      '-}{5:{CHK:0123456789AB}}{1:F01NWBKGB2LAXXX0000000000}{2:O940}{4:',
      ...body('00001/003', 'MC250401GBP2,', 'MC250401GBP3,'),
      '-}',
      '{5:{CHK:0123456789AB}}',
      `{1:F01NWBKGB2LAXXX0000000000}{2:O940}{4::20:S4`,
      ...body('00001/004', 'MC250401GBP3,', 'C250401GBP4,').slice(1),
      '-}',
    ]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.lineNo)).toEqual([6, 15, 22, 30]);
    expect(summary.control?.statements?.map((s) => [s.lineNo, s.sequenceNumber])).toEqual([
      [2, '001'],
      [11, '002'],
      [18, '003'],
      [26, '004'],
    ]);
  });

  it('still refuses text that is no preamble: too many lines, or lines not before a :20:', async () => {
    const good = statement({
      account: accountA,
      number: '1',
      opening: 'C250331GBP0,',
      closing: 'C250331GBP0,',
    });
    const noise = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX'];
    expect((await read([...noise, ...good])).summary.errors.map((e) => e.lineNo)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    const { summary } = await read([...good.slice(0, 4), 'STRAY', ...good.slice(4)]);
    expect(summary.errors).toEqual([{ lineNo: 5, message: 'Text outside any MT940 tag' }]);
  });
});

describe('MT940 :86: narratives', () => {
  it('takes a Deutsche-Bank-like ?20 narrative apart, wrapped anywhere, and keeps it whole', async () => {
    const narrative =
      '166?00SEPA-GUTSCHRIFT?100599?20EREF+E2E-2025-0001?21SVWZ+CTAX 123456780 J SMITH?30DEUTDEFFXXX?31DE89370400440532013000?32MUSTERMANN, HANS';
    const { rows, summary } = await read(
      statement({
        account: accountA,
        number: '1',
        opening: 'C250331GBP0,',
        entries: [
          ':61:250401C12,34NTRFNONREF',
          `:86:${narrative.slice(0, 65)}`,
          narrative.slice(65, 100),
          narrative.slice(100),
        ],
        closing: 'C250401GBP12,34',
      }),
    );
    expect(summary.errors).toEqual([]);
    expect(rows[0]).toMatchObject({
      reference: '',
      narrative,
      endToEndId: 'E2E-2025-0001',
      details: {
        GVC: '166',
        '?00': 'SEPA-GUTSCHRIFT',
        '?10': '0599',
        '?20': 'EREF+E2E-2025-0001',
        '?21': 'SVWZ+CTAX 123456780 J SMITH',
        '?30': 'DEUTDEFFXXX',
        '?31': 'DE89370400440532013000',
        '?32': 'MUSTERMANN, HANS',
        EREF: 'E2E-2025-0001',
        SVWZ: 'CTAX 123456780 J SMITH',
      },
    });
  });

  it('reads SEPA /EREF/ keys, also when a key is cut by a line break', async () => {
    const { rows, summary } = await read(
      statement({
        account: accountA,
        number: '1',
        opening: 'C250331GBP0,',
        entries: [
          ':61:250401C5,NTRFREF',
          ':86:/TRTP/SEPA CREDIT TRANSFER/NAME/J SMITH/REMI/CTAX 123456780/ER',
          'EF/E2E-XYZ-1//IBAN/GB29NWBK60161331926819',
          ':61:250401C5,NTRFREF',
          ':86:/EREF/NOTPROVIDED/REMI/PCN BJ12345673',
        ],
        closing: 'C250401GBP10,',
      }),
    );
    expect(summary.errors).toEqual([]);
    expect(rows[0]?.details).toEqual({
      TRTP: 'SEPA CREDIT TRANSFER',
      NAME: 'J SMITH',
      REMI: 'CTAX 123456780',
      EREF: 'E2E-XYZ-1',
      IBAN: 'GB29NWBK60161331926819',
    });
    expect(rows[0]?.endToEndId).toBe('E2E-XYZ-1');
    expect(rows[0]?.narrative).toBe(
      '/TRTP/SEPA CREDIT TRANSFER/NAME/J SMITH/REMI/CTAX 123456780/EREF/E2E-XYZ-1//IBAN/GB29NWBK60161331926819',
    );
    expect(rows[1]?.endToEndId).toBeUndefined();
    expect(rows[1]?.details?.REMI).toBe('PCN BJ12345673');
  });

  it('joins free text with spaces, but not after a full 65-character line', async () => {
    const full = 'A'.repeat(64);
    const { rows } = await read(
      statement({
        account: accountA,
        number: '1',
        opening: 'C250331GBP0,',
        entries: [':61:250401C1,NTRFR', ':86:COUNCIL TAX', `J SMITH ${full}`, 'BC', 'END'],
        closing: 'C250401GBP1,',
      }),
    );
    expect(rows[0]?.narrative).toBe(`COUNCIL TAX J SMITH ${full}BC END`);
    expect(rows[0]?.details).toBeUndefined();
  });
});

describe('MT940 :61: subfields', () => {
  it('reads RC/RD, the entry date in the next year, the funds code, type, references and details', async () => {
    const { rows, summary } = await read(
      statement({
        account: accountA,
        number: '1',
        opening: 'C251230GBP100,00',
        entries: [
          ':61:2512310102RDP10,00NMSCNONREF//BANK-1',
          ':61:251231RC5,50FTRFCUST-2//BANK-2',
          'RETURNED: ACCOUNT CLOSED',
          ':61:251231D1,00NTRFCUST-3',
        ],
        closing: 'C251231GBP103,50',
      }),
    );
    expect(summary.errors).toEqual([]);
    expect(rows[0]).toEqual({
      lineNo: 5,
      reference: '',
      amountPence: 1000,
      narrative: '',
      transactionDate: '2025-12-31',
      valueDate: '2025-12-31',
      fundCode: null,
      channel: 'NMSC',
      bankReference: 'BANK-1',
      accountId: accountA,
      currency: 'GBP',
      reversal: true,
      details: { entryDate: '2026-01-02', fundsCode: 'P' },
    });
    expect(rows[1]).toMatchObject({
      amountPence: -550,
      reversal: true,
      channel: 'FTRF',
      reference: 'CUST-2',
      details: { supplementaryDetails: 'RETURNED: ACCOUNT CLOSED' },
    });
    expect(rows[2]).toMatchObject({ amountPence: -100, reference: 'CUST-3' });
    expect(rows[2]?.reversal).toBeUndefined();
  });

  it('refuses an entry date that is no day', async () => {
    const { summary } = await read(
      statement({
        account: accountA,
        number: '1',
        opening: 'C250331GBP0,',
        entries: [':61:2504011301C1,NTRFX'],
        closing: 'C250401GBP1,',
      }),
    );
    expect(summary.errors).toEqual([
      { lineNo: 5, field: 'entryDate', message: '"1301" is not a real MMDD entry date' },
    ]);
  });
});

describe('MT940 statements and accounts', () => {
  const aFirst = statement({
    account: accountA,
    number: '00012/001',
    opening: 'C250331GBP1000,00',
    entries: [':61:250401C25,00NTRFA1'],
    closing: 'C250401GBP1025,00',
  });
  const bFirst = statement({
    account: accountB,
    number: '00003/001',
    opening: 'D250331GBP5,00',
    entries: [':61:250401C5,00NTRFB1'],
    closing: 'C250401GBP0,',
  });

  it('keeps the accounts of a multi-account file apart and follows each one', async () => {
    const aSecond = statement({
      account: accountA,
      number: '00013/001',
      opening: 'C250401GBP1025,00',
      closing: 'C250402GBP1025,00',
    });
    const { rows, summary } = await read([
      ...aFirst,
      ':64:C250401GBP1020,00',
      ':65:C250402GBP1021,00',
      ':65:C250403GBP1022,00',
      '-',
      ...bFirst,
      '-',
      ...aSecond,
      '-',
    ]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.accountId)).toEqual([accountA, accountB]);
    expect(summary.control).toEqual({
      statements: [
        {
          lineNo: 1,
          accountId: accountA,
          openingBalancePence: 100_000,
          closingBalancePence: 102_500,
          entryCount: 1,
          currency: 'GBP',
          statementNumber: '00012',
          sequenceNumber: '001',
          availableBalancePence: 102_000,
          forwardAvailableBalancePence: 102_100,
        },
        {
          lineNo: 11,
          accountId: accountB,
          openingBalancePence: -500,
          closingBalancePence: 0,
          entryCount: 1,
          currency: 'GBP',
          statementNumber: '00003',
          sequenceNumber: '001',
        },
        {
          lineNo: 18,
          accountId: accountA,
          openingBalancePence: 102_500,
          closingBalancePence: 102_500,
          entryCount: 0,
          currency: 'GBP',
          statementNumber: '00013',
          sequenceNumber: '001',
        },
      ],
    });
  });

  it('reports a gap in statement numbers with both numbers, on the :28C: line', async () => {
    const aThird = statement({
      account: accountA,
      number: '00014/001',
      opening: 'C250401GBP1025,00',
      closing: 'C250402GBP1025,00',
    });
    const { summary } = await read([...aFirst, ...bFirst, ...aThird]);
    expect(summary.errors).toEqual([
      {
        lineNo: 15,
        field: 'statementNumber',
        message: `Statement 00014/001 of account ${accountA} does not follow on from statement 00012/001 on line 3`,
      },
    ]);
  });

  it('requires the next message of a statement after an intermediate :62M: closing', async () => {
    const part = (number: string, opening: string, closing: string) =>
      statement({ account: accountA, number, opening, closing });
    const split = [
      ...part('00012/001', 'C250331GBP1,', 'MC250331GBP1,'),
      ...part('00012/002', 'MC250331GBP1,', 'C250331GBP1,'),
    ];
    expect((await read(split)).summary.errors).toEqual([]);
    const { summary } = await read([
      ...part('00012/001', 'C250331GBP1,', 'MC250331GBP1,'),
      ...part('00013/001', 'C250331GBP1,', 'C250331GBP1,'),
    ]);
    expect(summary.errors.map((error) => [error.lineNo, error.field])).toEqual([
      [8, 'statementNumber'],
    ]);
  });

  it('reports a break in balance continuity on the opening line, naming both balances', async () => {
    const aSecond = statement({
      account: accountA,
      number: '00013/001',
      opening: 'C250401GBP1000,00',
      closing: 'C250402GBP1000,00',
    });
    const { summary } = await read([...aFirst, ...aSecond]);
    expect(summary.errors).toEqual([
      {
        lineNo: 10,
        field: 'openingBalance',
        message: `The opening balance 1000.00 of account ${accountA} does not continue the closing balance 1025.00 on line 6`,
      },
    ]);
  });

  it('reports a truncated file: its last statement has no closing balance', async () => {
    const { summary } = await read(aFirst.slice(0, 5));
    expect(summary.errors).toEqual([
      { lineNo: 1, field: 'closingBalance', message: 'The statement has no closing balance' },
    ]);
  });
});

describe('MT942 interim reports', () => {
  const report = (credits: string) => [
    '{1:F01NWBKGB2LAXXX0000000000}{2:O9421200250401NWBKGB2LAXXX00000000002504011200N}{4:',
    ':20:INT20250401',
    `:25:${accountA}`,
    ':28C:00005/001',
    ':34F:GBPD0,',
    ':34F:GBPC0,',
    ':13D:2504011200+0100',
    ':61:250401C100,00NTRFA',
    ':86:/EREF/E1/REMI/CTAX 123456780',
    ':61:250401D40,00NMSCNONREF',
    ':61:250401C5,00NTRFB',
    ':90D:1GBP40,00',
    `:90C:${credits}`,
    ':86:INFORMATION TO ACCOUNT OWNER',
    '-}',
  ];

  it('reads a report with no balances and checks its :90D:/:90C: sums', async () => {
    const { rows, summary } = await read(report('2GBP105,00'));
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.amountPence)).toEqual([10_000, -4000, 500]);
    expect(rows[0]?.endToEndId).toBe('E1');
    expect(summary.control).toEqual({
      statements: [
        {
          lineNo: 2,
          accountId: accountA,
          openingBalancePence: 0,
          closingBalancePence: 6500,
          entryCount: 3,
          currency: 'GBP',
          statementNumber: '00005',
          sequenceNumber: '001',
          interim: true,
        },
      ],
    });
  });

  it('reports a sum that disagrees with the entries on its line', async () => {
    const { summary } = await read(report('3GBP106,00'));
    expect(summary.errors).toEqual([
      {
        lineNo: 13,
        field: 'entrySum',
        message:
          'The report declares 3 credits totalling 106.00, but its entries are 2 credits totalling 105.00',
      },
    ]);
  });
});

describe('MT940 currencies', () => {
  const sterling = statement({
    account: accountA,
    number: '1',
    opening: 'C250331GBP0,',
    entries: [':61:250401C1,NTRFA'],
    closing: 'C250401GBP1,',
  });
  const euro = statement({
    account: accountEur,
    number: '1',
    opening: 'C250331EUR0,',
    entries: [':61:250401C2,50NTRFB'],
    closing: 'C250401EUR2,50',
  });

  it('refuses a two-account file whole when one account is in euros, naming it', async () => {
    const { summary } = await read([...sterling, '-', ...euro, '-']);
    expect(summary.errors).toEqual([
      {
        lineNo: 11,
        field: 'currency',
        message: `Account ${accountEur} is in EUR; the ledger is in pounds`,
      },
    ]);
  });

  it('reads an account the profile names in its currency, and refuses another currency for it', async () => {
    const profile = { kind: 'mt940' as const, otherCurrencyAccounts: { [accountEur]: 'EUR' } };
    const { rows, summary } = await read(
      [...sterling, '-', ...euro, '-'],
      createMt940Parser(profile),
    );
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => [row.currency, row.amountPence])).toEqual([
      ['GBP', 100],
      ['EUR', 250],
    ]);
    const usd = createMt940Parser({
      kind: 'mt940',
      otherCurrencyAccounts: { [accountEur]: 'USD' },
    });
    expect((await read(euro, usd)).summary.errors[0]?.message).toBe(
      `Account ${accountEur} is in EUR; its profile expects USD`,
    );
  });

  it('refuses a profile whose currency has no two decimal places, or is no code', () => {
    expect(() => createMt940Parser({ kind: 'mt940', otherCurrencyAccounts: { X: 'JPY' } })).toThrow(
      'JPY does not have two decimal places; it cannot be read',
    );
    expect(() =>
      createMt940Parser({ kind: 'mt940', otherCurrencyAccounts: { X: 'euro' } }),
    ).toThrow(RangeError);
  });

  it('refuses a balance in a second currency within one statement', async () => {
    const mixed = sterling.map((line) => line.replace('C250401GBP', 'C250401EUR'));
    const { summary } = await read(mixed);
    expect(summary.errors).toEqual([
      {
        lineNo: 6,
        field: 'currency',
        message: "The currency EUR differs from the statement's GBP",
      },
    ]);
  });
});

describe('MT940 properties', () => {
  const strip = <T extends { lineNo: number }>({ lineNo: _lineNo, ...rest }: T) => rest;

  function expectedDetails(entry: EntryModel): Record<string, string> | undefined {
    const details: Record<string, string> = {};
    const { narrative } = entry;
    if (narrative.kind === 'german') {
      Object.assign(details, {
        GVC: narrative.code,
        '?00': 'GUTSCHRIFT',
        '?20': `EREF+${narrative.endToEndId}`,
        '?21': `SVWZ+${narrative.remittance}`,
        '?32': narrative.name,
        EREF: narrative.endToEndId,
        SVWZ: narrative.remittance,
      });
    }
    if (narrative.kind === 'sepa') Object.assign(details, Object.fromEntries(narrative.pairs));
    if (entry.withEntryDate) details.entryDate = '';
    return Object.keys(details).length === 0 ? undefined : details;
  }

  it('reads back what was written: entries, narratives, sub-fields and balances', () =>
    fc.assert(
      fc.asyncProperty(statementsModel, async (statements) => {
        const { rows, summary } = await parseAll(parser, [writeMt940(statements, canonical)]);
        expect(summary.errors).toEqual([]);
        const entries = statements.flatMap((statement) =>
          statement.entries.map((entry) => ({ statement, entry })),
        );
        expect(rows).toHaveLength(entries.length);
        entries.forEach(({ statement, entry }, index) => {
          const row = rows[index];
          const valueDate = `2025-01-${String(statement.day).padStart(2, '0')}`;
          const details = expectedDetails(entry);
          if (details?.entryDate !== undefined) details.entryDate = valueDate;
          const endToEndId = details?.EREF === 'NOTPROVIDED' ? undefined : details?.EREF;
          expect(row).toMatchObject({
            accountId: statement.account,
            reference: entry.reference,
            amountPence: signedPence(entry),
            narrative: narrativeText(entry.narrative),
            valueDate,
            channel: entry.type,
          });
          expect(row?.details).toEqual(details);
          expect(row?.reversal).toBe(entry.mark.startsWith('R') ? true : undefined);
          expect(row?.bankReference).toBe(entry.bankReference || undefined);
          expect(row?.endToEndId).toBe(endToEndId);
        });
        expect(
          summary.control?.statements?.map((s) => [
            s.accountId,
            s.openingBalancePence,
            s.closingBalancePence,
          ]),
        ).toEqual(statements.map((s) => [s.account, s.openingPence, closingPence(s)]));
      }),
      { numRuns: 150 },
    ));

  it('reads the same whatever the envelopes, preambles, line ends, chunks and :86: wrapping', () =>
    fc.assert(
      fc.asyncProperty(
        statementsModel,
        layoutModel,
        fc.integer({ min: 1, max: 200 }),
        async (statements, layout, chunkBytes) => {
          const plain = await parseAll(parser, [writeMt940(statements, canonical)]);
          const noisy = await parseAll(
            parser,
            chunked(utf8(writeMt940(statements, layout)), chunkBytes),
          );
          expect(noisy.summary.errors).toEqual([]);
          expect(noisy.rows.map(strip)).toEqual(plain.rows.map(strip));
          expect(noisy.summary.control?.statements?.map(strip)).toEqual(
            plain.summary.control?.statements?.map(strip),
          );
        },
      ),
      { numRuns: 200 },
    ));
});
