import type { ImportRow } from '../domain/imports/types';
import type { Sql } from './client';

/** COPY's text format: backslash, tab, newline and carriage return must be escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/**
 * Streams rows into import_staged_rows with COPY, the fastest way PostgreSQL takes rows.
 * Returns a row handler (with backpressure) and a function that finishes the COPY.
 */
export async function openStagingCopy(sql: Sql, importId: string) {
  const stream =
    await sql`copy import_staged_rows (import_id, line_no, reference, amount_pence, narrative, transaction_date, fund_code) from stdin`.writable();
  const id = copyText(importId);
  let failure: Error | null = null;
  stream.on('error', (error: Error) => {
    failure = error;
  });
  const write = async (row: ImportRow): Promise<void> => {
    if (failure !== null) throw failure;
    const line = `${id}\t${row.lineNo}\t${copyText(row.reference)}\t${row.amountPence}\t${copyText(row.narrative)}\t${row.transactionDate}\t${row.fundCode === null ? '\\N' : copyText(row.fundCode)}\n`;
    if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  const finish = () =>
    new Promise<void>((resolve, reject) => {
      if (failure !== null) return reject(failure);
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  const abort = () => stream.destroy();
  return { write, finish, abort };
}

export async function clearStaging(sql: Sql, importId: string): Promise<void> {
  await sql`delete from import_staged_rows where import_id = ${importId}`;
}
