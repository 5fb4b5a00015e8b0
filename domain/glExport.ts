/**
 * The general ledger export and the per-fund detail feed produced at close of day. Pure: the
 * same rows give the same bytes, whatever order the database returned them in, because a closed
 * day's files must be reproducible byte for byte (finance compares them with what the GL got).
 */
import { formatFileDate } from './imports/dates';

/** One posting summed into its GL line's key. Control accounts use their account code. */
export type GlPostingRow = {
  ledgerCode: string;
  costCentre: string;
  /** Empty when the posting carries no VAT code (control-account lines). */
  vatCode: string;
  financialYear: string;
  period: number;
  debitPence: number;
  creditPence: number;
};

export type FundFeedRow = {
  fundCode: string;
  accountReference: string;
  /** Income positive: credit − debit on the fund account. */
  amountPence: number;
  journalId: string;
  lineNo: number;
};

export type GlExport = {
  csv: string;
  lineCount: number;
  totalDebitPence: number;
  totalCreditPence: number;
};

/** 12345 → "123.45", -1 → "-0.01", 0 → "0.00": integer arithmetic only, never floats. */
export function formatPounds(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new Error(`not a whole number of pence: ${pence}`);
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const remainder = abs % 100;
  return `${sign}${(abs - remainder) / 100}.${String(remainder).padStart(2, '0')}`;
}

/** RFC 4180 quoting, only when a field needs it, so ordinary codes stay unquoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const csvLine = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

/** Code-unit order, not locale order: the bytes must not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function glKey(row: GlPostingRow): string[] {
  return [row.financialYear, String(row.period).padStart(2, '0'), row.ledgerCode, row.costCentre];
}

export const glExportHeader = [
  'posting_date',
  'financial_year',
  'period',
  'ledger_code',
  'cost_centre',
  'vat_code',
  'debit',
  'credit',
] as const;

/**
 * What a GL export column can hold. `debit` and `credit` are the line's two sides, never
 * netted; `amount` is one signed side (see `GlSignConvention`).
 */
export const glColumnFields = [
  'posting_date',
  'financial_year',
  'period',
  'ledger_code',
  'cost_centre',
  'vat_code',
  'debit',
  'credit',
  'amount',
] as const;
export type GlColumnField = (typeof glColumnFields)[number];

export const glDateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'YYYYMMDD', 'DD-MM-YYYY'] as const;
export type GlDateFormat = (typeof glDateFormats)[number];

/**
 * `separate_columns`: one line per key with a debit and a credit column, both positive.
 * `debit_positive` / `credit_positive`: one `amount` column; a key with both sides writes two
 * lines (debits and credits are still never netted), the named side positive, the other negative.
 */
export const glSignConventions = ['separate_columns', 'debit_positive', 'credit_positive'] as const;
export type GlSignConvention = (typeof glSignConventions)[number];

/** How the GL export is laid out: the general ledger's import format, configured per council. */
export type GlLayout = {
  columns: { field: GlColumnField; header: string }[];
  dateFormat: GlDateFormat;
  signConvention: GlSignConvention;
};

/** The layout the IMS has always written; a closed day with no stored layout used it. */
export const defaultGlLayout: GlLayout = {
  columns: glExportHeader.map((field) => ({ field, header: field })),
  dateFormat: 'YYYY-MM-DD',
  signConvention: 'separate_columns',
};

/** Why a layout cannot produce a usable export; empty when it can. */
export function glLayoutProblems(layout: GlLayout): string[] {
  const problems: string[] = [];
  const fields = layout.columns.map((column) => column.field);
  const count = (field: GlColumnField) => fields.filter((f) => f === field).length;
  for (const field of new Set(fields)) {
    if (count(field) > 1) problems.push(`column ${field} appears more than once`);
  }
  if (count('ledger_code') === 0) problems.push('a ledger_code column is required');
  if (layout.signConvention === 'separate_columns') {
    if (count('debit') === 0 || count('credit') === 0)
      problems.push('separate_columns needs a debit and a credit column');
    if (count('amount') > 0) problems.push('separate_columns writes no amount column');
  } else {
    if (count('amount') === 0) problems.push(`${layout.signConvention} needs an amount column`);
    if (count('debit') > 0 || count('credit') > 0)
      problems.push(`${layout.signConvention} writes amount, not debit and credit columns`);
  }
  for (const column of layout.columns) {
    if (/[\r\n]/.test(column.header)) problems.push(`header of ${column.field} has a line break`);
  }
  return problems;
}

/** GL dates use the same writer as income files; the GL allows a subset of its formats. */
export function formatGlDate(isoDate: string, format: GlDateFormat): string {
  return formatFileDate(isoDate, format);
}

type GlLine = {
  key: [string, string, string, string, string];
  debitPence: number;
  creditPence: number;
};

/** The detail rows of one GL line under a layout: one row, or one per side when signed. */
function layoutRows(postingDate: string, line: GlLine, layout: GlLayout): string[][] {
  const [year, period, ledgerCode, costCentre, vatCode] = line.key;
  const sides: { debitPence: number; creditPence: number; amountPence: number }[] = [];
  if (layout.signConvention === 'separate_columns') {
    sides.push({ debitPence: line.debitPence, creditPence: line.creditPence, amountPence: 0 });
  } else {
    const debitSign = layout.signConvention === 'debit_positive' ? 1 : -1;
    if (line.debitPence > 0)
      sides.push({
        debitPence: line.debitPence,
        creditPence: 0,
        amountPence: debitSign * line.debitPence,
      });
    if (line.creditPence > 0)
      sides.push({
        debitPence: 0,
        creditPence: line.creditPence,
        amountPence: -debitSign * line.creditPence,
      });
  }
  const date = formatGlDate(postingDate, layout.dateFormat);
  return sides.map((side) => {
    const values: Record<GlColumnField, string> = {
      posting_date: date,
      financial_year: year,
      period,
      ledger_code: ledgerCode,
      cost_centre: costCentre,
      vat_code: vatCode,
      debit: formatPounds(side.debitPence),
      credit: formatPounds(side.creditPence),
      amount: formatPounds(side.amountPence),
    };
    return layout.columns.map(({ field }) => values[field]);
  });
}

/**
 * One line per financial period / ledger code / cost centre / VAT code, debits and credits kept
 * apart, written in `layout` (the default is the IMS's original format, byte for byte).
 */
export function buildGlExport(
  postingDate: string,
  rows: readonly GlPostingRow[],
  layout: GlLayout = defaultGlLayout,
): GlExport {
  const problems = glLayoutProblems(layout);
  if (problems.length > 0) throw new Error(`GL layout cannot be used: ${problems.join('; ')}`);
  const lines = new Map<string, GlLine>();
  for (const row of rows) {
    const key = [...glKey(row), row.vatCode] as GlLine['key'];
    const id = JSON.stringify(key);
    const line = lines.get(id) ?? { key, debitPence: 0, creditPence: 0 };
    line.debitPence += row.debitPence;
    line.creditPence += row.creditPence;
    lines.set(id, line);
  }
  const sorted = [...lines.values()].sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const order = compareText(a.key[i]!, b.key[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });
  let csv = csvLine(layout.columns.map((column) => column.header));
  let lineCount = 0;
  let totalDebitPence = 0;
  let totalCreditPence = 0;
  for (const line of sorted) {
    for (const fields of layoutRows(postingDate, line, layout)) {
      csv += csvLine(fields);
      lineCount++;
    }
    totalDebitPence += line.debitPence;
    totalCreditPence += line.creditPence;
  }
  if (totalDebitPence !== totalCreditPence) {
    throw new Error(
      `GL export for ${postingDate} does not balance: ${totalDebitPence} ≠ ${totalCreditPence}`,
    );
  }
  csv += csvLine([
    'TRAILER',
    String(lineCount),
    formatPounds(totalDebitPence),
    formatPounds(totalCreditPence),
  ]);
  return { csv, lineCount, totalDebitPence, totalCreditPence };
}

/** Detail for line-of-business systems: every fund-account posting of the day. */
export function buildFundFeed(postingDate: string, rows: readonly FundFeedRow[]): string {
  const sorted = [...rows].sort(
    (a, b) =>
      compareText(a.fundCode, b.fundCode) ||
      compareText(a.journalId, b.journalId) ||
      a.lineNo - b.lineNo,
  );
  let csv = csvLine(['posting_date', 'fund_code', 'account_reference', 'amount', 'journal_id']);
  let totalPence = 0;
  for (const row of sorted) {
    csv += csvLine([
      postingDate,
      row.fundCode,
      row.accountReference,
      formatPounds(row.amountPence),
      row.journalId,
    ]);
    totalPence += row.amountPence;
  }
  return csv + csvLine(['TRAILER', String(sorted.length), formatPounds(totalPence)]);
}
