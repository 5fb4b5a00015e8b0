import { eq } from 'drizzle-orm';
import { newId } from '../domain/ids';
import type { ImportRow } from '../domain/imports/types';
import type { Database } from './client';
import { bankStatementLines } from './schema';

/** Import profile kinds whose rows are bank statement entries (and so are kept for matching). */
export const statementKinds: ReadonlySet<string> = new Set(['camt053', 'mt940']);

/**
 * Whether a profile's rows are bank statement lines: every CAMT and MT940 profile, and a CSV
 * profile that says so (`statement: true`, a bank's statement export rather than an income file).
 */
export function isStatementProfile(profile: {
  kind: string;
  definition: Record<string, unknown>;
}): boolean {
  return (
    statementKinds.has(profile.kind) ||
    (profile.kind === 'csv' && profile.definition.statement === true)
  );
}

const insertBatchRows = 1_000;

/**
 * Keeps a statement import's lines for bank reconciliation: the staging rows are deleted when
 * the import completes, and matching may happen days later. Delete-then-insert in one
 * transaction makes a retried staging activity leave exactly one copy. Matching reads only
 * lines of completed imports, so a re-stage (which happens before completion) never drops a
 * matched line.
 */
export async function recordStatementLines(
  db: Database,
  importId: string,
  rows: readonly ImportRow[],
): Promise<number> {
  await db.transaction(async (tx) => {
    await tx.delete(bankStatementLines).where(eq(bankStatementLines.importId, importId));
    for (let start = 0; start < rows.length; start += insertBatchRows) {
      await tx.insert(bankStatementLines).values(
        rows.slice(start, start + insertBatchRows).map((row) => ({
          id: newId('bankStatementLine'),
          importId,
          lineNo: row.lineNo,
          date: row.transactionDate,
          amountPence: row.amountPence,
          reference: row.reference,
          narrative: row.narrative,
          bankReference: row.bankReference ?? null,
        })),
      );
    }
  });
  return rows.length;
}
