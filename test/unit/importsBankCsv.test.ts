// Proves that the four UK bank statement CSV profiles read their example exports (credit and
// debit columns, DD/MM/YY dates, account and transaction type kept), and that a line with both a
// credit and a debit, a credit that is not an amount or a short date is reported on its line.
import { describe, expect, it } from 'vitest';
import {
  barclaysNetCsvProfile,
  createCsvParser,
  hsbcnetCsvProfile,
  lloydsCommercialCsvProfile,
  natwestBanklineCsvProfile,
} from '../../domain/imports';
import { fixtureText, parseAll } from './importsHelpers';

describe.each([
  [
    'NatWest Bankline',
    natwestBanklineCsvProfile,
    'natwest-bankline-20250401.csv',
    '12345678',
    'BAC',
  ],
  [
    'Lloyds CBO',
    lloydsCommercialCsvProfile,
    'lloyds-cbo-20250401.csv',
    '309634-12345678 GBP',
    'Faster Payment',
  ],
  ['Barclays.Net', barclaysNetCsvProfile, 'barclays-net-20250401.csv', '43718291', 'BGC'],
  ['HSBCnet', hsbcnetCsvProfile, 'hsbcnet-20250401.csv', '400000-12345678', 'NACH'],
])('%s', (_bank, profile, file, accountId, channel) => {
  it('reads its example export: three lines, the debit negative', async () => {
    const { rows, summary } = await parseAll(createCsvParser(profile), [fixtureText(file)]);
    expect(summary.errors).toEqual([]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      amountPence: 12_345,
      transactionDate: '2025-04-01',
      accountId,
      channel,
    });
    expect(rows.at(-1)?.amountPence).toBe(-5_000);
    expect(profile.statement).toBe(true);
  });
});

describe('credit and debit columns', () => {
  const header =
    'Sort Code,Account Number,Account Alias,Account Short Name,Currency,Account Type,BIC,Bank Name,Branch Name,Date,Narrative #1,Narrative #2,Narrative #3,Narrative #4,Narrative #5,Type,Debit,Credit';
  const line = (date: string, debit: string, credit: string) =>
    `60-00-01,12345678,,,GBP,,,,,${date},REF,,,,,BAC,${debit},${credit}`;

  it('reports both filled, an unreadable credit and a date in the wrong layout on their lines', async () => {
    const file = [
      header,
      line('01/04/25', '1.00', '2.00'),
      line('01/04/25', '', '12.x'),
      line('1/4/25', '', '1.00'),
    ];
    const { rows, summary } = await parseAll(createCsvParser(natwestBanklineCsvProfile), [
      file.join('\n'),
    ]);
    expect(rows).toEqual([]);
    expect(summary.errors).toEqual([
      {
        lineNo: 2,
        field: 'amount',
        message: 'The line has both a credit and a debit; one of them must be blank',
      },
      { lineNo: 3, field: 'credit', message: 'The credit "12.x" is not an amount in pounds' },
      { lineNo: 4, field: 'date', message: 'The date "1/4/25" is not a real date in DD/MM/YY' },
    ]);
  });

  it('refuses a profile naming neither an amount nor credit and debit, or both', () => {
    const { amount: _amount, ...columns } = lloydsCommercialCsvProfile.columns;
    expect(() => createCsvParser({ ...lloydsCommercialCsvProfile, columns })).toThrow(RangeError);
    expect(() =>
      createCsvParser({
        ...lloydsCommercialCsvProfile,
        columns: { ...columns, amount: 'Amount', credit: 'C', debit: 'D' },
      }),
    ).toThrow(RangeError);
  });
});
