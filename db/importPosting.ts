import { sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import type { ChunkOutcome } from '../domain/importChunk';
import { type IncomeLine, incomeJournalLines } from '../domain/income';
import { controlAccounts } from '../domain/ledgerAccounts';
import type { Database } from './client';
import { postedChunk } from './imports';
import { postJournal } from './ledger';
import { importChunks, importErrors, suspenseItems } from './schema';

/**
 * A journal's postings go in one INSERT (the database checks balance per statement). A chunk
 * posts as one journal per this many income lines (normally one per chunk), all in its one
 * transaction; the bound keeps any single balance check and statement reasonably sized.
 */
export const journalLinesMax = 20_000;

export type ChunkPosting = {
  importId: string;
  chunkNo: number;
  firstLineNo: number;
  lastLineNo: number;
  clearingAccountCode: string;
  postingDate: string;
  causedBy: string;
  suspenseFund: { code: string; vatCode: string };
  outcome: ChunkOutcome;
};

export type ChunkResult = {
  chunkNo: number;
  rowsAllocated: number;
  rowsSuspended: number;
  rowsRejected: number;
  allocatedPence: number;
  suspendedPence: number;
};

type Entry = { line: IncomeLine; suspense?: ChunkOutcome['suspended'][number] };

/**
 * Posts one chunk of an import exactly once: its journals, its suspense items, its rejected
 * rows and its marker row commit together. A retry (a crashed worker, a restarted database)
 * finds the marker and returns what was posted.
 */
export async function postImportChunk(db: Database, posting: ChunkPosting): Promise<ChunkResult> {
  return db.transaction(async (tx) => {
    // One chunk at a time per import and number: a concurrent retry waits here, then sees the marker.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${posting.importId}), ${posting.chunkNo})`,
    );
    const done = await postedChunk(tx, posting.importId, posting.chunkNo);
    if (done !== null) return resultFromMarker(done, posting);
    const { outcome } = posting;
    const entries: Entry[] = [
      ...outcome.allocated.map((line) => ({ line })),
      ...outcome.suspended.map((row) => ({
        line: {
          fundCode: posting.suspenseFund.code,
          reference: row.receivedReference.trim().toUpperCase(),
          amountPence: row.amountPence,
          vatCode: posting.suspenseFund.vatCode,
          vatRateBasisPoints: 0,
          narrative: row.narrative,
          sourceLineNo: row.lineNo,
        },
        suspense: row,
      })),
    ];
    const suspenseRows: (typeof suspenseItems.$inferInsert)[] = [];
    for (let part = 0; part * journalLinesMax < entries.length; part++) {
      const slice = entries.slice(part * journalLinesMax, (part + 1) * journalLinesMax);
      const { journalId } = await postJournal(tx, {
        idempotencyKey: `import:${posting.importId}:chunk:${posting.chunkNo}:part:${part}`,
        kind: 'import',
        description: `Import ${posting.importId} lines ${posting.firstLineNo}–${posting.lastLineNo}`,
        postingDate: posting.postingDate,
        causedBy: posting.causedBy,
        sourceType: 'import',
        sourceId: posting.importId,
        lines: incomeJournalLines(
          slice.map((entry) => entry.line),
          {
            debitAccountCode: posting.clearingAccountCode,
            vatAccountCode: controlAccounts.vatOutput,
          },
        ),
      });
      for (const { suspense } of slice) {
        if (suspense === undefined) continue;
        suspenseRows.push({
          id: newId('suspense'),
          sourceType: 'import',
          sourceId: posting.importId,
          sourceLineNo: suspense.lineNo,
          amountPence: suspense.amountPence,
          remainingPence: suspense.amountPence,
          receivedReference: suspense.receivedReference,
          narrative: suspense.narrative,
          receivedDate: suspense.transactionDate,
          fundCodeHint: suspense.fundCodeHint,
          reason: suspense.reason,
          journalId,
        });
      }
    }
    for (let start = 0; start < suspenseRows.length; start += 1_000)
      await tx.insert(suspenseItems).values(suspenseRows.slice(start, start + 1_000));
    for (let start = 0; start < outcome.rejected.length; start += 1_000) {
      const batch = outcome.rejected.slice(start, start + 1_000).map((row) => ({
        importId: posting.importId,
        seq: row.lineNo,
        lineNo: row.lineNo,
        field: row.field,
        message: row.message,
      }));
      await tx.insert(importErrors).values(batch).onConflictDoNothing();
    }
    const result: ChunkResult = {
      chunkNo: posting.chunkNo,
      rowsAllocated: outcome.allocated.length,
      rowsSuspended: outcome.suspended.length,
      rowsRejected: outcome.rejected.length,
      allocatedPence: outcome.allocated.reduce((sum, row) => sum + row.amountPence, 0),
      suspendedPence: outcome.suspended.reduce((sum, row) => sum + row.amountPence, 0),
    };
    await tx.insert(importChunks).values({
      importId: posting.importId,
      chunkNo: posting.chunkNo,
      firstLineNo: posting.firstLineNo,
      lastLineNo: posting.lastLineNo,
      rowsAllocated: result.rowsAllocated,
      rowsSuspended: result.rowsSuspended,
      allocatedPence: result.allocatedPence,
      suspendedPence: result.suspendedPence,
      journalId: null,
    });
    return result;
  });
}

function resultFromMarker(
  done: typeof importChunks.$inferSelect,
  posting: ChunkPosting,
): ChunkResult {
  return {
    chunkNo: done.chunkNo,
    rowsAllocated: done.rowsAllocated,
    rowsSuspended: done.rowsSuspended,
    rowsRejected: posting.outcome.rejected.length,
    allocatedPence: done.allocatedPence,
    suspendedPence: done.suspendedPence,
  };
}
