import { type CsvTextRecord, isCsvTextRefusal, readCsvText } from '../domain/csvText';
import { normaliseReference, type ReferenceValidator } from '../domain/references';
import type { FieldError } from './problem';

/**
 * Reads a fund's account-holder file (one header row, then one account per line) and reports
 * every bad line by its line number, so whoever exported it can fix the file in one pass.
 */

export const accountHolderColumns = [
  'reference',
  'name',
  'address',
  'balance_pence',
  'on_stop_message',
] as const;

type Column = (typeof accountHolderColumns)[number];

export type AccountHolderLine = {
  reference: string;
  name: string;
  address: string;
  /** What the line-of-business system says is owed; negative when in credit, null when blank. */
  balancePence: number | null;
  /** Blank means not on stop. */
  onStopMessage: string | null;
};

export type ParsedAccountHolders = { rows: AccountHolderLine[]; errors: FieldError[] };

/** Why a normalised reference is not valid for the fund, or null when it is. */
export type ReferenceCheck = (normalisedReference: string) => string | null;

type CsvRecord = CsvTextRecord;

function headerProblem(header: readonly string[]): string | null {
  const names = header.map((name) => name.trim().toLowerCase());
  const missing = accountHolderColumns.filter((column) => !names.includes(column));
  const unknown = names.filter(
    (name) => !(accountHolderColumns as readonly string[]).includes(name),
  );
  if (
    missing.length === 0 &&
    unknown.length === 0 &&
    names.length === accountHolderColumns.length
  ) {
    return null;
  }
  return `the header must name the columns ${accountHolderColumns.join(',')}${
    missing.length > 0 ? `; missing ${missing.join(',')}` : ''
  }${unknown.length > 0 ? `; unknown ${unknown.join(',')}` : ''}`;
}

const wholePence = /^-?\d{1,16}$/;

function lineFrom(
  values: ReadonlyMap<Column, string>,
  line: number,
  checkReference: ReferenceCheck,
  errors: FieldError[],
  validator: ReferenceValidator | undefined,
): AccountHolderLine | null {
  const fail = (column: Column, message: string) => {
    errors.push({ field: `line ${line}.${column}`, message });
    return null;
  };
  const reference = normaliseReference(values.get('reference') ?? '', validator);
  const referenceProblem = reference === '' ? 'must not be blank' : checkReference(reference);
  if (referenceProblem !== null) return fail('reference', referenceProblem);
  const name = values.get('name') ?? '';
  if (name === '' || name.length > 200) return fail('name', 'must be 1 to 200 characters');
  const balanceText = values.get('balance_pence') ?? '';
  const balancePence = balanceText === '' ? null : Number(balanceText);
  if (
    balancePence !== null &&
    (!wholePence.test(balanceText) || !Number.isSafeInteger(balancePence))
  ) {
    return fail('balance_pence', 'must be a whole number of pence, e.g. 12345 for £123.45');
  }
  const onStop = values.get('on_stop_message') ?? '';
  if (onStop.length > 500) return fail('on_stop_message', 'must be at most 500 characters');
  return {
    reference,
    name,
    address: values.get('address') ?? '',
    balancePence,
    onStopMessage: onStop === '' ? null : onStop,
  };
}

function parseRecords(text: string): CsvRecord[] | FieldError {
  const read = readCsvText(text);
  if (!isCsvTextRefusal(read)) return read;
  return {
    field: `line ${read.line ?? 1}`,
    message: `the file cannot be read as CSV: ${read.message}`,
  };
}

/** `validator`: the fund's, so references are normalised as its payments' are. */
export function parseAccountHolderCsv(
  text: string,
  checkReference: ReferenceCheck,
  validator?: ReferenceValidator,
): ParsedAccountHolders {
  const records = parseRecords(text);
  if (!Array.isArray(records)) return { rows: [], errors: [records] };
  const [header, ...lines] = records;
  if (header === undefined)
    return {
      rows: [],
      errors: [{ field: 'line 1', message: 'the file is empty; it needs a header row' }],
    };
  const problem = headerProblem(header.record);
  if (problem !== null)
    return { rows: [], errors: [{ field: `line ${header.info.lines}`, message: problem }] };
  const columns = header.record.map((name) => name.trim().toLowerCase() as Column);
  const rows: AccountHolderLine[] = [];
  const errors: FieldError[] = [];
  const lineOfReference = new Map<string, number>();
  for (const { record, info } of lines) {
    if (record.length !== columns.length) {
      errors.push({
        field: `line ${info.lines}`,
        message: `expected ${columns.length} columns; got ${record.length}`,
      });
      continue;
    }
    const values = new Map(columns.map((column, index) => [column, record[index] ?? '']));
    const row = lineFrom(values, info.lines, checkReference, errors, validator);
    if (row === null) continue;
    const earlier = lineOfReference.get(row.reference);
    if (earlier !== undefined) {
      errors.push({
        field: `line ${info.lines}.reference`,
        message: `repeats the reference on line ${earlier}`,
      });
      continue;
    }
    lineOfReference.set(row.reference, info.lines);
    rows.push(row);
  }
  return { rows, errors };
}
