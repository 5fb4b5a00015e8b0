import { parsePounds } from '../money';
import { fileDateLength, parseFileDate } from './dates';
import { digitsToInteger } from './decimal';
import type { ImportErrorLog } from './errors';
import type { ImportRow } from './types';

/**
 * Maps CSV records to rows through a saved profile. Columns are named by header text (matched
 * trimmed and case-insensitively, first match wins) or by 0-based index. The amount is one
 * signed column (`amount`), or two columns as bank exports write it (`credit` money in,
 * `debit` money out, one of them blank on each line; a debit becomes a negative row).
 */

export type CsvColumn = string | number;

export type CsvColumns = {
  reference: CsvColumn;
  /** The signed amount; absent when the profile names `credit` and `debit` instead. */
  amount?: CsvColumn;
  credit?: CsvColumn;
  debit?: CsvColumn;
  date: CsvColumn;
  narrative?: CsvColumn;
  fund?: CsvColumn;
  /** The bank's own id for the line (`ImportRow.bankReference`). */
  bankReference?: CsvColumn;
  /** The account the line belongs to, in files that list several accounts. */
  accountId?: CsvColumn;
  /** The bank's transaction type (BAC, DDR, CHAPS…), kept as the row's channel. */
  channel?: CsvColumn;
};

export type CsvDateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'DD-MM-YYYY' | 'DD/MM/YY' | 'YYYYMMDD';

/** 'pounds': "12.34", "£1,234.56", "-0.01"; 'pence': "1234", "-1". */
export type CsvAmountFormat = 'pounds' | 'pence';

type ColumnKey = keyof CsvColumns;

const columnKeys: readonly ColumnKey[] = [
  'reference',
  'amount',
  'credit',
  'debit',
  'date',
  'narrative',
  'fund',
  'bankReference',
  'accountId',
  'channel',
];

/** A profile names either the signed amount or both credit and debit; a mistake otherwise. */
export function assertAmountColumns(columns: CsvColumns): void {
  const split = columns.credit !== undefined || columns.debit !== undefined;
  if (
    columns.amount === undefined &&
    !(columns.credit !== undefined && columns.debit !== undefined)
  ) {
    throw new RangeError(
      'CSV profile: name the amount column, or both the credit and debit columns',
    );
  }
  if (columns.amount !== undefined && split) {
    throw new RangeError('CSV profile: name the amount column or credit and debit, not both');
  }
}

export type ColumnIndexes = Partial<Record<ColumnKey, number>>;

/** Resolves names against the header; returns the keys whose column is not there. */
export function indexesFromHeader(
  columns: CsvColumns,
  header: readonly string[],
): { indexes: ColumnIndexes; missing: ColumnKey[] } {
  const lowerHeader = header.map((name) => name.trim().toLowerCase());
  const indexes: ColumnIndexes = {};
  const missing: ColumnKey[] = [];
  for (const key of columnKeys) {
    const column = columns[key];
    if (column === undefined) continue;
    const index =
      typeof column === 'number' ? column : lowerHeader.indexOf(column.trim().toLowerCase());
    if (index < 0) missing.push(key);
    else indexes[key] = index;
  }
  return { indexes, missing };
}

/** Without a header every column must be an index; a name is a profile mistake. */
export function indexesWithoutHeader(columns: CsvColumns): ColumnIndexes {
  const indexes: ColumnIndexes = {};
  for (const key of columnKeys) {
    const column = columns[key];
    if (column === undefined) continue;
    if (typeof column !== 'number' || !Number.isSafeInteger(column) || column < 0) {
      throw new RangeError(`CSV profile without a header: column ${key} must be an index ≥ 0`);
    }
    indexes[key] = column;
  }
  return indexes;
}

function penceFromText(text: string, format: CsvAmountFormat): number | null {
  if (format === 'pounds') return parsePounds(text, { allowThousandsSeparators: true });
  const negative = text.startsWith('-');
  const value = digitsToInteger(text, negative ? 1 : 0, text.length);
  if (value === null) return null;
  return negative && value !== 0 ? -value : value;
}

/** Quotes a cell for a message, cut short: a message names the problem, it is not a copy. */
function quoted(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

export type RecordMapping = {
  indexes: ColumnIndexes;
  dateFormat: CsvDateFormat;
  amountFormat: CsvAmountFormat;
};

/** The row for one record, or null after reporting every field that is wrong. */
export function recordToRow(
  record: readonly string[],
  lineNo: number,
  mapping: RecordMapping,
  errors: ImportErrorLog,
): ImportRow | null {
  const { indexes, dateFormat, amountFormat } = mapping;
  const cell = (key: ColumnKey): string | undefined => {
    const index = indexes[key];
    return index === undefined ? '' : record[index];
  };
  const missingKey = columnKeys.find((key) => cell(key) === undefined);
  if (missingKey !== undefined) {
    const columnNo = (indexes[missingKey] ?? 0) + 1;
    const message = `The record has ${record.length} columns; the ${missingKey} is column ${columnNo}`;
    errors.add(lineNo, message, missingKey);
    return null;
  }
  const amountPence =
    indexes.amount === undefined
      ? creditDebitPence(cell('credit') ?? '', cell('debit') ?? '', lineNo, amountFormat, errors)
      : signedPence(cell('amount') ?? '', lineNo, amountFormat, errors);
  const dateText = cell('date') ?? '';
  const transactionDate =
    dateText.length === fileDateLength(dateFormat) ? parseFileDate(dateText, dateFormat) : null;
  if (transactionDate === null) {
    errors.add(lineNo, `The date ${quoted(dateText)} is not a real date in ${dateFormat}`, 'date');
  }
  if (amountPence === null || transactionDate === null) return null;
  const row: ImportRow = {
    lineNo,
    reference: cell('reference') ?? '',
    amountPence,
    narrative: cell('narrative') ?? '',
    transactionDate,
    fundCode: cell('fund') || null,
  };
  const bankReference = cell('bankReference')?.trim();
  const accountId = cell('accountId')?.trim();
  const channel = cell('channel')?.trim();
  if (bankReference) row.bankReference = bankReference;
  if (accountId) row.accountId = accountId;
  if (channel) row.channel = channel;
  return row;
}

function signedPence(
  text: string,
  lineNo: number,
  format: CsvAmountFormat,
  errors: ImportErrorLog,
): number | null {
  const amountPence = penceFromText(text, format);
  if (amountPence === null) {
    errors.add(lineNo, `The amount ${quoted(text)} is not an amount in ${format}`, 'amount');
  }
  return amountPence;
}

/** Credit minus debit, where exactly one of the two holds a non-zero amount. */
function creditDebitPence(
  creditText: string,
  debitText: string,
  lineNo: number,
  format: CsvAmountFormat,
  errors: ImportErrorLog,
): number | null {
  const credit = creditText.trim() === '' ? 0 : penceFromText(creditText.trim(), format);
  const debit = debitText.trim() === '' ? 0 : penceFromText(debitText.trim(), format);
  if (credit === null || debit === null) {
    const [field, text] = credit === null ? ['credit', creditText] : ['debit', debitText];
    errors.add(lineNo, `The ${field} ${quoted(text)} is not an amount in ${format}`, field);
    return null;
  }
  if (credit !== 0 && debit !== 0) {
    errors.add(
      lineNo,
      'The line has both a credit and a debit; one of them must be blank',
      'amount',
    );
    return null;
  }
  // Some banks write debits as positive figures and some with a minus: either is money out.
  return credit !== 0 ? Math.abs(credit) : -Math.abs(debit);
}
