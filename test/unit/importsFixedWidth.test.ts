// Proves that collection-agent fixed-width files are read row by row with exact pence, and
// that every structural fault (bad record, trailer count or total, encoding) names its line.
import { describe, expect, it } from 'vitest';
import {
  createFixedWidthParser,
  type FixedWidthProfile,
  importErrorsMax,
  postOfficeProfile,
} from '../../domain/imports';
import { chunked, fixtureText, parseAll, replaceOnce, streamOf, utf8 } from './importsHelpers';

const parser = createFixedWidthParser(postOfficeProfile);
const file = fixtureText('postoffice-20250401.txt');

function parseText(text: string) {
  return parseAll(parser, [text]);
}

describe('fixed-width collection file, happy path', () => {
  it('reads every detail with its line, exact pence, channel and date', async () => {
    const { rows, summary } = await parseAll(parser, streamOf(chunked(utf8(file), 7)));
    expect(summary).toEqual({
      rowCount: 5,
      totalPence: 117_595,
      errors: [],
      control: { declaredCount: 5, declaredTotalPence: 117_595 },
    });
    expect(rows[0]).toEqual({
      lineNo: 2,
      reference: '123456780',
      amountPence: 12_345,
      narrative: '',
      transactionDate: '2025-04-01',
      fundCode: null,
      channel: 'PO',
      bankReference: '000000000001',
    });
    expect(rows.map((row) => [row.lineNo, row.reference, row.amountPence, row.channel])).toEqual([
      [2, '123456780', 12_345, 'PO'],
      [3, 'BJ12345673', 5000, 'PP'],
      [4, '9826010012345678901', 1, 'PO'],
      [5, '60000000001', 99_999, 'PO'],
      [6, 'SEE LETTER', 250, 'PP'],
    ]);
  });

  it('accepts CRLF, a UTF-8 BOM, blank lines and a file with no header', async () => {
    const withoutHeader = file.split('\n').slice(1).join('\r\n');
    const { summary } = await parseText(`\uFEFF${withoutHeader}\r\n\r\n`);
    expect(summary.errors).toEqual([]);
    expect(summary.rowCount).toBe(5);
  });

  it('reads DDMMYY dates and passes unmapped channel letters through', async () => {
    const profile: FixedWidthProfile = {
      ...postOfficeProfile,
      detail: {
        ...postOfficeProfile.detail,
        date: { start: 31, format: 'DDMMYY' },
        channel: { start: 30, length: 1 },
      },
    };
    const line = `D${'123456780'.padEnd(19)}0000000100X010425`;
    const { rows, summary } = await parseAll(createFixedWidthParser(profile), [
      `${line}\nT000000001${'100'.padStart(13, '0')}\n`,
    ]);
    expect(summary.errors).toEqual([]);
    expect(rows[0]).toMatchObject({ transactionDate: '2025-04-01', channel: 'X' });
  });
});

describe('fixed-width collection file, structurally broken', () => {
  it('names the trailer line when the count disagrees', async () => {
    const { summary } = await parseText(replaceOnce(file, 'T000000005', 'T000000006'));
    expect(summary.errors).toEqual([
      {
        lineNo: 7,
        field: 'count',
        message: 'The trailer declares 6 transactions but the file has 5',
      },
    ]);
  });

  it('names the trailer line when the total disagrees by one penny', async () => {
    const { summary } = await parseText(replaceOnce(file, '0000000117595', '0000000117596'));
    expect(summary.errors).toEqual([
      {
        lineNo: 7,
        field: 'total',
        message: 'The trailer declares a total of 1175.96 but the details add up to 1175.95',
      },
    ]);
  });

  it('reports every unparseable detail with its line and field, and hands over only good rows', async () => {
    let broken = replaceOnce(file, '0000012345P', '00000123x5P');
    broken = replaceOnce(broken, 'Y20250401000000000002', 'Y20250231000000000002');
    broken = replaceOnce(broken, '0000000250Y', '0000000250Q');
    const { rows, summary } = await parseText(broken);
    expect(summary.errors).toEqual([
      { lineNo: 2, field: 'amount', message: 'The amount must be digits (pence, zero-padded)' },
      { lineNo: 3, field: 'date', message: 'The date is not a real date in YYYYMMDD' },
      { lineNo: 6, field: 'channel', message: 'Unknown channel "Q"' },
    ]);
    expect(rows.map((row) => row.lineNo)).toEqual([4, 5]);
    expect(summary.rowCount).toBe(2);
  });

  it('reports an unknown record type, a short line, a late header and a missing trailer', async () => {
    const lines = file.trimEnd().split('\n');
    const broken = [...lines.slice(0, 3), 'X junk', 'D123', lines[0], ...lines.slice(3, 6)];
    const { summary } = await parseText(`${broken.join('\n')}\n`);
    expect(summary.errors).toEqual([
      { lineNo: 4, field: 'recordType', message: 'Unknown record type "X"' },
      { lineNo: 5, field: 'amount', message: 'The amount must be digits (pence, zero-padded)' },
      { lineNo: 5, field: 'date', message: 'The date is not a real date in YYYYMMDD' },
      { lineNo: 5, field: 'channel', message: 'The channel is missing' },
      { lineNo: 6, message: 'A header record is allowed only first' },
      { lineNo: 9, field: 'trailer', message: 'The file ends without a trailer record' },
    ]);
  });

  it('reports a detail after the trailer and a second trailer', async () => {
    const lines = file.trimEnd().split('\n');
    const broken = [...lines, lines[1], lines[6]].join('\n');
    const { summary } = await parseText(broken);
    expect(summary.errors).toEqual([
      { lineNo: 8, message: 'A detail record after the trailer on line 7' },
      { lineNo: 9, message: 'A second trailer record; the first is on line 7' },
      {
        lineNo: 7,
        field: 'count',
        message: 'The trailer declares 5 transactions but the file has 6',
      },
      {
        lineNo: 7,
        field: 'total',
        message: 'The trailer declares a total of 1175.95 but the details add up to 1299.40',
      },
    ]);
  });

  it('reports invalid UTF-8 bytes on their line', async () => {
    const bytes = utf8(file);
    const lineFour = file.indexOf('\nD6') + 5;
    const broken = new Uint8Array(bytes);
    broken[lineFour] = 0xa3;
    const { summary } = await parseAll(parser, streamOf(chunked(broken, 16)));
    expect(summary.errors).toContainEqual({
      lineNo: 5,
      field: 'encoding',
      message: 'The line holds bytes that are not valid UTF-8',
    });
  });

  it('caps the listed errors and counts the rest', async () => {
    const badLines = Array.from({ length: importErrorsMax + 5 }, () => 'Z').join('\n');
    const { summary } = await parseText(badLines);
    expect(summary.errors).toHaveLength(importErrorsMax + 1);
    // Five more unknown records, and the missing trailer reported at the end.
    expect(summary.errors.at(-1)).toEqual({
      lineNo: importErrorsMax + 1,
      message: 'and 6 more errors',
    });
  });

  it('refuses a profile whose codes do not fit the record type', () => {
    const profile = { ...postOfficeProfile, trailer: { ...postOfficeProfile.trailer, code: 'TT' } };
    expect(() => createFixedWidthParser(profile)).toThrow(RangeError);
  });
});

describe('fixed-width collection file, backpressure', () => {
  it('awaits an async row handler before reading on, in file order', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    await parser.parse([file], async (row) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(row.lineNo);
      inFlight--;
    });
    expect(seen).toEqual([2, 3, 4, 5, 6]);
  });
});
