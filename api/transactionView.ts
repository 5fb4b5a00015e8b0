import type { z } from 'zod';
import type { TransactionRow } from '../db/transactionSearch';
import {
  channelOfJournalKind,
  encodeTransactionCursor,
  type TransactionSort,
} from '../domain/transactionSearch';
import type { transactionSchema } from './schemas/transactions';

export type Transaction = z.output<typeof transactionSchema>;

/** A search row as the API shows it: a posting in the words staff use. */
export function transactionOf(row: TransactionRow): Transaction {
  return {
    transactionId: `${row.journalId}.${row.lineNo}`,
    journalId: row.journalId,
    lineNo: row.lineNo,
    channel: channelOfJournalKind(row.kind),
    kind: row.kind,
    recordedAt: row.recordedAt,
    postingDate: row.postingDate,
    fundCode: row.accountCode.replace(/^FUND:/, ''),
    reference: row.accountReference,
    direction: row.creditPence > 0 ? 'in' : 'out',
    amountPence: row.amountPence,
    vatPence: row.vatPence,
    narrative: row.narrative,
    methodOfPaymentCode: row.methodOfPaymentCode,
    officeCode: row.officeCode,
    pspReference: row.pspReference,
    cardLastDigits: row.cardLastDigits,
    cardBrand: row.cardBrand,
    user: row.takenBy ?? row.causedBy,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    fileName: row.fileName,
    fileLineNo: row.sourceLineNo,
    reversesJournalId: row.reversesJournalId,
    reversedByJournalId: row.reversedByJournalId,
  };
}

/**
 * A page from `limit + 1` rows read: the first `limit`, and the cursor after the last of them
 * when the extra row shows there is more (so the last page never links to an empty one).
 */
export function pageOf(
  rows: readonly TransactionRow[],
  limit: number,
  sort: TransactionSort,
): { rows: TransactionRow[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (last === undefined || rows.length <= limit) return { rows: page, nextCursor: null };
  return { rows: page, nextCursor: cursorAfter(last, sort) };
}

function cursorAfter(last: TransactionRow, sort: TransactionSort): string {
  return encodeTransactionCursor({
    amountPence: sort === 'amount' ? last.amountPence : null,
    recordedAt: last.recordedAtText,
    journalId: last.journalId,
    lineNo: last.lineNo,
  });
}
