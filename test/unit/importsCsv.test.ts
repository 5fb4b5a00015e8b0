// Proves that CSV files are read through a saved column profile with exact pence, and that
// every broken record (bad quote, short record, bad amount or date, wrong encoding) names its line.
import { describe, expect, it } from 'vitest';
import { createCsvParser, parserFor } from '../../domain/imports';
import { bankExportCsvProfile } from '../fixtures/imports/profiles';
import { chunked, fixtureText, parseAll, replaceOnce, streamOf, utf8 } from './importsHelpers';

const bankProfile = bankExportCsvProfile;
const parser = createCsvParser(bankProfile);
const file = fixtureText('bank-export.csv');

describe('CSV with a column profile, happy path', () => {
  it('reads every record with its line, exact pence and optional fund', async () => {
    const { rows, summary } = await parseAll(parser, streamOf(chunked(utf8(file), 5)));
    expect(summary).toEqual({ rowCount: 4, totalPence: 125_757, errors: [] });
    expect(rows).toEqual([
      {
        lineNo: 3,
        reference: '123456780',
        amountPence: 123_456,
        narrative: 'COUNCIL TAX, J SMITH',
        transactionDate: '2025-04-01',
        fundCode: 'CTAX',
      },
      {
        lineNo: 4,
        reference: 'BJ12345673',
        amountPence: 3500,
        narrative: 'PCN PAYMENT',
        transactionDate: '2025-04-01',
        fundCode: null,
      },
      {
        lineNo: 5,
        reference: '60000000001',
        amountPence: 1,
        narrative: 'RENT "WEEK 1"',
        transactionDate: '2025-04-02',
        fundCode: 'RENT',
      },
      {
        lineNo: 6,
        reference: '',
        amountPence: -1200,
        narrative: 'RETURNED ITEM',
        transactionDate: '2025-04-02',
        fundCode: null,
      },
    ]);
  });

  it('reads columns by index without a header, pence amounts and another delimiter', async () => {
    const profile = parserFor({
      kind: 'csv',
      delimiter: ';',
      hasHeader: false,
      columns: { reference: 2, amount: 0, date: 1 },
      dateFormat: 'YYYYMMDD',
      amountFormat: 'pence',
    });
    const { rows, summary } = await parseAll(profile, [
      '\uFEFF1;20250401;A1\r\n',
      '-7;20250402;"B;2"',
    ]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => [row.lineNo, row.reference, row.amountPence])).toEqual([
      [1, 'A1', 1],
      [2, 'B;2', -7],
    ]);
  });

  it('numbers a record by the line it starts on when a quoted field spans lines', async () => {
    const text = replaceOnce(file, '"COUNCIL TAX, J SMITH"', '"COUNCIL TAX,\nJ SMITH"');
    const { rows, summary } = await parseAll(parser, [text]);
    expect(summary.errors).toEqual([]);
    expect(rows.map((row) => row.lineNo)).toEqual([3, 5, 6, 7]);
    expect(rows[0]?.narrative).toBe('COUNCIL TAX,\nJ SMITH');
  });
});

describe('CSV with a column profile, structurally broken', () => {
  it('reports bad amounts and dates by line and column, and hands over only good rows', async () => {
    let broken = replaceOnce(file, '35.00', '35.001');
    broken = replaceOnce(broken, '02/04/2025,60000000001', '30/02/2025,60000000001');
    const { rows, summary } = await parseAll(parser, [broken]);
    expect(summary.errors).toEqual([
      { lineNo: 4, field: 'amount', message: 'The amount "35.001" is not an amount in pounds' },
      {
        lineNo: 5,
        field: 'date',
        message: 'The date "30/02/2025" is not a real date in DD/MM/YYYY',
      },
    ]);
    expect(rows.map((row) => row.lineNo)).toEqual([3, 6]);
  });

  it('reports every malformed line and carries on after a stray quote', async () => {
    const lines = file.trimEnd().split('\n');
    const broken = [
      ...lines.slice(0, 3),
      '01/04/2025,X1,"1.00"x,BAD QUOTE,',
      '01/04/2025,X2,2.00',
      '01/04/2025,X3,3" PIPE,NOTE,',
      ...lines.slice(3),
      '02/04/2025,X4,4.00,"NEVER CLOSED,',
    ].join('\n');
    const { rows, summary } = await parseAll(parser, [broken]);
    expect(summary.errors).toEqual([
      {
        lineNo: 4,
        message: 'A quoted field is followed by other characters before the next delimiter',
      },
      {
        lineNo: 5,
        field: 'narrative',
        message: 'The record has 3 columns; the narrative is column 4',
      },
      { lineNo: 6, message: 'A quote appears inside a field that is not quoted' },
      { lineNo: 10, message: 'A quoted field opened on this line is never closed' },
    ]);
    expect(rows.map((row) => row.reference)).toEqual([
      '123456780',
      'BJ12345673',
      '60000000001',
      '',
    ]);
  });

  it('reports a header without a mapped column once, not once per record', async () => {
    const { rows, summary } = await parseAll(parser, [replaceOnce(file, ',Fund', ',Scheme')]);
    expect(summary.errors).toEqual([
      { lineNo: 2, field: 'fund', message: 'The header has no column "Fund"' },
    ]);
    expect(rows).toEqual([]);
  });

  it('reports invalid UTF-8 bytes on their line and builds no row from it', async () => {
    const bytes = utf8(file.replace('PCN PAYMENT', 'PCN PAYMENT ?'));
    bytes[bytes.indexOf(0x3f)] = 0xa3;
    const { rows, summary } = await parseAll(parser, streamOf(chunked(bytes, 11)));
    expect(summary.errors).toEqual([
      { lineNo: 4, field: 'encoding', message: 'The line holds bytes that are not valid UTF-8' },
    ]);
    expect(rows.map((row) => row.lineNo)).toEqual([3, 5, 6]);
  });

  it('refuses a profile that names columns but has no header', () => {
    expect(() => createCsvParser({ ...bankProfile, hasHeader: false })).toThrow(RangeError);
    expect(() => createCsvParser({ ...bankProfile, delimiter: '' })).toThrow(RangeError);
  });
});
