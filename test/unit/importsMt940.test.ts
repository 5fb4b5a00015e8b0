// Proves that MT940 statements are read with exact decimal-comma pence and signed entries, that
// opening + entries must equal closing, and that every fault names the line of its tag.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMt940Parser, penceToDecimal } from '../../domain/imports';
import { chunked, fixtureText, parseAll, replaceOnce, streamOf, utf8 } from './importsHelpers';

const parser = createMt940Parser();
const file = fixtureText('statement-20250401.mt940');

describe('MT940, happy path', () => {
  it('reads each :61: with its :86: narrative, signs and references', async () => {
    const { rows, summary } = await parseAll(parser, streamOf(chunked(utf8(file), 9)));
    expect(summary.errors).toEqual([]);
    expect(summary.rowCount).toBe(4);
    expect(summary.totalPence).toBe(6296);
    expect(summary.control).toEqual({
      openingBalancePence: 1_000_000,
      closingBalancePence: 1_006_296,
      statements: [
        {
          lineNo: 2,
          accountId: '40051234567890',
          openingBalancePence: 1_000_000,
          closingBalancePence: 1_006_296,
          entryCount: 4,
          currency: 'GBP',
          statementNumber: '00091',
          sequenceNumber: '001',
          availableBalancePence: 1_006_296,
        },
      ],
    });
    expect(rows[0]).toEqual({
      lineNo: 6,
      reference: 'CTAX123456780',
      amountPence: 12_345,
      narrative: 'COUNCIL TAX 123456780 J SMITH',
      transactionDate: '2025-04-01',
      valueDate: '2025-04-01',
      fundCode: null,
      channel: 'NTRF',
      bankReference: 'BR25040100001',
      accountId: '40051234567890',
      currency: 'GBP',
      details: { entryDate: '2025-04-01' },
    });
    // D is money out, a whole amount may end in a bare comma, NONREF is no reference, and a
    // reversed credit (RC) is money out.
    expect(rows.slice(1).map((row) => [row.lineNo, row.reference, row.amountPence])).toEqual([
      [9, '', -5000],
      [11, 'BJ12345673', 1],
      [13, 'REV1', -1050],
    ]);
  });

  it('balances each statement of a multi-statement file on its own', async () => {
    const second = [
      ':20:STMT20250402',
      ':25:40051234567890',
      ':60F:C250401GBP10062,96',
      ':61:250402RD0,04NTRFUNDO',
      ':62F:C250402GBP10063,00',
    ].join('\n');
    const { summary } = await parseAll(parser, [`${file}${second}\n`]);
    expect(summary.errors).toEqual([]);
    expect(summary.control?.statements?.map((statement) => statement.entryCount)).toEqual([4, 1]);
    expect(summary.control?.openingBalancePence).toBeUndefined();
  });

  it('reads any pence amount written with a decimal comma exactly', () => {
    return fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000_000_000_000 }), async (amountPence) => {
        const amount = penceToDecimal(amountPence, ',');
        const text = [
          ':20:X',
          ':60F:C250401GBP0,00',
          `:61:250401C${amount}NTRFREF`,
          `:62F:C250401GBP${amount}`,
        ].join('\n');
        const { rows, summary } = await parseAll(parser, [text]);
        expect(summary.errors).toEqual([]);
        expect(rows[0]?.amountPence).toBe(amountPence);
      }),
    );
  });
});

describe('MT940, structurally broken', () => {
  it('names the :62F: line when the statement does not balance by a penny', async () => {
    const { summary } = await parseAll(parser, [
      replaceOnce(file, ':62F:C250401GBP10062,96', ':62F:C250401GBP10062,97'),
    ]);
    expect(summary.errors).toEqual([
      {
        lineNo: 15,
        field: 'closingBalance',
        message:
          'The statement does not balance: opening 10000.00 + entries 62.96 = 10062.96, but the closing balance is 10062.97',
      },
    ]);
  });

  it('refuses a currency other than GBP on the first balance line, naming the account', async () => {
    const { summary } = await parseAll(parser, [file.replaceAll('GBP', 'EUR')]);
    expect(summary.errors).toEqual([
      {
        lineNo: 5,
        field: 'currency',
        message: 'Account 40051234567890 is in EUR; the ledger is in pounds',
      },
    ]);
  });

  it('reports each unparseable tag on its own line, without a derived balance error', async () => {
    let broken = replaceOnce(file, ':61:250401D50,NDDT', ':61:250401D50.00NDDT');
    broken = replaceOnce(broken, ':61:250401C0,01', ':61:250431C0,01');
    broken = replaceOnce(broken, ':28C:00091/001', ':99:WHAT');
    const { rows, summary } = await parseAll(parser, [broken]);
    expect(summary.errors).toEqual([
      { lineNo: 4, field: 'tag', message: 'Unknown MT940 tag :99:' },
      {
        lineNo: 9,
        field: 'statementLine',
        message: 'A statement line must be YYMMDD[MMDD], C/D/RC/RD, amount, type, reference',
      },
      { lineNo: 11, field: 'date', message: '"250431" is not a real date' },
    ]);
    expect(rows.map((row) => row.lineNo)).toEqual([6, 13]);
  });

  it('reports an amount with too many decimals on the :61: line', async () => {
    const { summary } = await parseAll(parser, [replaceOnce(file, 'C0,01NTRF', 'C0,011NTRF')]);
    expect(summary.errors).toEqual([
      { lineNo: 11, field: 'amount', message: 'The amount "0,011" is not a decimal-comma amount' },
    ]);
  });

  it('reports a statement with no closing balance on its :20: line', async () => {
    const lines = file.split('\n').filter((line) => !line.startsWith(':62F:'));
    const { summary } = await parseAll(parser, [lines.join('\n')]);
    expect(summary.errors).toEqual([
      { lineNo: 2, field: 'closingBalance', message: 'The statement has no closing balance' },
    ]);
  });

  it('reports tags before any :20:, entries after the closing balance and a file with none', async () => {
    const withoutStart = file.replace(':20:STMT20250401\n', '');
    expect((await parseAll(parser, [withoutStart])).summary.errors[0]).toEqual({
      lineNo: 2,
      message: 'The tag :25: comes before any :20:',
    });
    const late = `${file}:61:250401C1,00NTRFLATE\n`;
    expect((await parseAll(parser, [late])).summary.errors).toEqual([
      { lineNo: 18, message: 'A statement line after the closing balance' },
    ]);
    expect((await parseAll(parser, ['hello\n'])).summary.errors).toEqual([
      { lineNo: 1, message: 'Text outside any MT940 tag' },
      { lineNo: 1, message: 'The file holds no MT940 statement (:20:)' },
    ]);
  });

  it('reports invalid UTF-8 bytes on their line and tolerates a BOM', async () => {
    const bytes = utf8(`\uFEFF${file.replace('J SMITH', 'J SMITH ?')}`);
    bytes[bytes.indexOf(0x3f)] = 0xa3;
    const { summary } = await parseAll(parser, streamOf(chunked(bytes, 13)));
    expect(summary.errors).toEqual([
      { lineNo: 8, field: 'encoding', message: 'The line holds bytes that are not valid UTF-8' },
    ]);
  });
});
