/**
 * The general ledger export and the per-fund detail feed produced at close of day. Pure: the
 * same rows give the same bytes, whatever order the database returned them in, because a closed
 * day's files must be reproducible byte for byte (finance compares them with what the GL got).
 */

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

/** One line per financial period / ledger code / cost centre / VAT code, debits and credits kept apart. */
export function buildGlExport(postingDate: string, rows: readonly GlPostingRow[]): GlExport {
  const lines = new Map<string, { key: string[]; debitPence: number; creditPence: number }>();
  for (const row of rows) {
    const key = [...glKey(row), row.vatCode];
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
  let csv = csvLine(glExportHeader);
  let totalDebitPence = 0;
  let totalCreditPence = 0;
  for (const { key, debitPence, creditPence } of sorted) {
    const [year, period, ledgerCode, costCentre, vatCode] = key as [
      string,
      string,
      string,
      string,
      string,
    ];
    csv += csvLine([
      postingDate,
      year,
      period,
      ledgerCode,
      costCentre,
      vatCode,
      formatPounds(debitPence),
      formatPounds(creditPence),
    ]);
    totalDebitPence += debitPence;
    totalCreditPence += creditPence;
  }
  if (totalDebitPence !== totalCreditPence) {
    throw new Error(
      `GL export for ${postingDate} does not balance: ${totalDebitPence} ≠ ${totalCreditPence}`,
    );
  }
  csv += csvLine([
    'TRAILER',
    String(sorted.length),
    formatPounds(totalDebitPence),
    formatPounds(totalCreditPence),
  ]);
  return { csv, lineCount: sorted.length, totalDebitPence, totalCreditPence };
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
