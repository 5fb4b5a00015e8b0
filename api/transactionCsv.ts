import type { Response } from 'express';
import type { Database } from '../db/client';
import { searchTransactions, type TransactionPage } from '../db/transactionSearch';
import { csvField, formatPounds } from '../domain/glExport';
import type { TransactionCursor } from '../domain/transactionSearch';
import type { Transaction } from './transactionView';
import { transactionOf } from './transactionView';

/**
 * Streams every row of a search as CSV (docs/search.md, "Export"). It reads by keyset pages,
 * the same query as the screen's, so memory stays at one page however many millions of rows
 * the search finds, no transaction stays open for the length of a slow download, and each
 * page waits until the client has taken the last (the socket's backpressure).
 */
export const exportPageRows = 2_000;

const columns: readonly [string, (row: Transaction) => string][] = [
  ['transaction_id', (row) => row.transactionId],
  ['recorded_at', (row) => row.recordedAt],
  ['posting_date', (row) => row.postingDate],
  ['channel', (row) => row.channel],
  ['kind', (row) => row.kind],
  ['fund_code', (row) => row.fundCode],
  ['reference', (row) => row.reference ?? ''],
  ['direction', (row) => row.direction],
  ['amount', (row) => formatPounds(row.amountPence)],
  ['amount_pence', (row) => String(row.amountPence)],
  ['vat_pence', (row) => String(row.vatPence)],
  ['narrative', (row) => row.narrative ?? ''],
  ['method_of_payment', (row) => row.methodOfPaymentCode ?? ''],
  ['office', (row) => row.officeCode ?? ''],
  ['psp_reference', (row) => row.pspReference ?? ''],
  ['card_last_digits', (row) => row.cardLastDigits ?? ''],
  ['user', (row) => row.user],
  ['source_type', (row) => row.sourceType ?? ''],
  ['source_id', (row) => row.sourceId ?? ''],
  ['file_name', (row) => row.fileName ?? ''],
  ['file_line', (row) => (row.fileLineNo === null ? '' : String(row.fileLineNo))],
  ['reverses_journal_id', (row) => row.reversesJournalId ?? ''],
  ['reversed_by_journal_id', (row) => row.reversedByJournalId ?? ''],
];

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with an
 * apostrophe: narratives and references come from payers and files (OWASP "CSV injection").
 */
export function safeCell(value: string): string {
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

export const transactionCsvHeader = `${columns.map(([name]) => name).join(',')}\r\n`;

export function transactionCsvLine(row: Transaction): string {
  return `${columns.map(([, cell]) => safeCell(cell(row))).join(',')}\r\n`;
}

function written(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes the CSV to `res`; answers the number of rows sent (fewer if the client went away). */
export async function streamTransactionCsv(
  db: Pick<Database, 'transaction'>,
  page: Omit<TransactionPage, 'limit' | 'after'>,
  res: Response,
  fileName: string,
): Promise<number> {
  res.status(200).type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  await written(res, transactionCsvHeader);
  let rows = 0;
  let after: TransactionCursor | undefined;
  while (!res.destroyed) {
    const batch = await searchTransactions(db, { ...page, limit: exportPageRows, after });
    if (batch.length > 0)
      await written(res, batch.map((row) => transactionCsvLine(transactionOf(row))).join(''));
    rows += batch.length;
    const last = batch.at(-1);
    if (last === undefined || batch.length < exportPageRows) break;
    after = {
      amountPence: page.sort === 'amount' ? last.amountPence : null,
      recordedAt: last.recordedAtText,
      journalId: last.journalId,
      lineNo: last.lineNo,
    };
  }
  res.end();
  return rows;
}
