// Proves that file amounts become exact integer pence without floating point, in both decimal
// styles, that file dates are real calendar days, and that the error log caps what it lists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToPence, ImportErrorLog, penceToDecimal } from '../../domain/imports';
import { parseFileDate } from '../../domain/imports/dates';
import { digitsToInteger } from '../../domain/imports/decimal';

describe('decimalToPence', () => {
  it.each([
    ['1234.5', '.', 123450],
    ['1234,5', ',', 123450],
    ['0,01', ',', 1],
    ['0.10', '.', 10],
    ['7,', ',', 700],
    ['12', '.', 1200],
    ['-0.01', '.', -1],
    ['-0.00', '.', 0],
    ['0', ',', 0],
    ['90071992547409.91', '.', 9_007_199_254_740_991],
  ] as const)('reads %s with "%s" as %i pence', (text, separator, expected) => {
    expect(decimalToPence(text, separator)).toBe(expected);
  });

  it.each([
    ['', '.'],
    ['.5', '.'],
    [',5', ','],
    ['1.234', '.'],
    ['1,2,3', ','],
    ['1.5', ','],
    ['1,234.56', '.'],
    [' 12', '.'],
    ['12 ', '.'],
    ['+12', '.'],
    ['1e3', '.'],
    ['-', '.'],
    ['£12', '.'],
    ['90071992547409.92', '.'],
  ] as const)('refuses %j with "%s"', (text, separator) => {
    expect(decimalToPence(text, separator)).toBeNull();
  });

  it('reads back any integer pence written with a decimal point, exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (amountPence) => {
        expect(decimalToPence(penceToDecimal(amountPence, '.'), '.')).toBe(amountPence);
      }),
    );
  });

  it('reads back any integer pence written with a decimal comma (MT940), exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (amountPence) => {
        expect(decimalToPence(penceToDecimal(amountPence, ','), ',')).toBe(amountPence);
      }),
    );
  });

  it('reads one-decimal amounts as tens of pence', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000_000 }), fc.nat({ max: 9 }), (pounds, tenths) => {
        expect(decimalToPence(`${pounds},${tenths}`, ',')).toBe(pounds * 100 + tenths * 10);
      }),
    );
  });
});

describe('digitsToInteger', () => {
  it('reads a zero-padded run and refuses anything else', () => {
    expect(digitsToInteger('x0000012345y', 1, 11)).toBe(12345);
    expect(digitsToInteger('00 1', 0, 4)).toBeNull();
    expect(digitsToInteger('12', 0, 3)).toBeNull();
    expect(digitsToInteger('12', 1, 1)).toBeNull();
    expect(digitsToInteger('99999999999999999', 0, 17)).toBeNull();
  });
});

describe('parseFileDate', () => {
  it.each([
    ['2025-04-01', 'YYYY-MM-DD', '2025-04-01'],
    ['01/04/2025', 'DD/MM/YYYY', '2025-04-01'],
    ['01-04-2025', 'DD-MM-YYYY', '2025-04-01'],
    ['20250401', 'YYYYMMDD', '2025-04-01'],
    ['010425', 'DDMMYY', '2025-04-01'],
    ['250401', 'YYMMDD', '2025-04-01'],
    ['29/02/2024', 'DD/MM/YYYY', '2024-02-29'],
  ] as const)('reads %s in %s', (text, format, expected) => {
    expect(parseFileDate(text, format)).toBe(expected);
  });

  it.each([
    ['29/02/2025', 'DD/MM/YYYY'],
    ['31/04/2025', 'DD/MM/YYYY'],
    ['2025/04/01', 'YYYY-MM-DD'],
    ['20251301', 'YYYYMMDD'],
    ['000425', 'DDMMYY'],
    ['2025040', 'YYYYMMDD'],
    ['01-04-2025', 'DD/MM/YYYY'],
  ] as const)('refuses %s in %s', (text, format) => {
    expect(parseFileDate(text, format)).toBeNull();
  });
});

describe('ImportErrorLog', () => {
  it('lists errors up to the cap, then one entry for the rest at the first omitted line', () => {
    const log = new ImportErrorLog(3);
    for (let lineNo = 1; lineNo <= 10; lineNo++) log.add(lineNo, 'bad', 'amount');
    expect(log.count).toBe(10);
    expect(log.toArray()).toEqual([
      { lineNo: 1, field: 'amount', message: 'bad' },
      { lineNo: 2, field: 'amount', message: 'bad' },
      { lineNo: 3, field: 'amount', message: 'bad' },
      { lineNo: 4, message: 'and 7 more errors' },
    ]);
  });

  it('lists everything when under the cap', () => {
    const log = new ImportErrorLog(3);
    log.add(5, 'bad');
    expect(log.toArray()).toEqual([{ lineNo: 5, message: 'bad' }]);
  });
});
