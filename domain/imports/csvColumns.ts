import { parsePounds } from '../money';
import { fileDateLength, parseFileDate } from './dates';
import { digitsToInteger } from './decimal';
import type { ImportErrorLog } from './errors';
import type { ImportRow } from './types';

/**
 * Maps CSV records to rows through a saved profile. Columns are named by header text (matched
 * trimmed and case-insensitively, first match wins) or by 0-based index.
 */

export type CsvColumn = string | number;

export type CsvColumns = {
  reference: CsvColumn;
  amount: CsvColumn;
  date: CsvColumn;
  narrative?: CsvColumn;
  fund?: CsvColumn;
};

export type CsvDateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'DD-MM-YYYY' | 'YYYYMMDD';

/** 'pounds': "12.34", "£1,234.56", "-0.01"; 'pence': "1234", "-1". */
export type CsvAmountFormat = 'pounds' | 'pence';

type ColumnKey = keyof CsvColumns;

const columnKeys: readonly ColumnKey[] = ['reference', 'amount', 'date', 'narrative', 'fund'];

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
  const amountText = cell('amount') ?? '';
  const amountPence = penceFromText(amountText, amountFormat);
  if (amountPence === null) {
    errors.add(
      lineNo,
      `The amount ${quoted(amountText)} is not an amount in ${amountFormat}`,
      'amount',
    );
  }
  const dateText = cell('date') ?? '';
  const transactionDate =
    dateText.length === fileDateLength(dateFormat) ? parseFileDate(dateText, dateFormat) : null;
  if (transactionDate === null) {
    errors.add(lineNo, `The date ${quoted(dateText)} is not a real date in ${dateFormat}`, 'date');
  }
  if (amountPence === null || transactionDate === null) return null;
  return {
    lineNo,
    reference: cell('reference') ?? '',
    amountPence,
    narrative: cell('narrative') ?? '',
    transactionDate,
    fundCode: cell('fund') || null,
  };
}
