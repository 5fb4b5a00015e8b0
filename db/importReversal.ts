import { and, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Database } from './client';
import { reverseJournal } from './ledger';
import { imports, journals, suspenseItems } from './schema';

export type ReversalRefusal = { field: string; message: string };

export type ImportReversal =
  | { outcome: 'reversed'; journalsReversed: number; suspenseItemsWithdrawn: number }
  | { outcome: 'refused'; reasons: ReversalRefusal[] };

/**
 * Reverses a whole import: every journal it posted gets its mirror, and its suspense items
 * leave suspense. It is refused if anything of the import has been worked since (a suspense
 * item allocated, refunded or written off, or a journal already reversed), because undoing the
 * import would then undo someone's later decision without them knowing.
 */
export async function reverseImport(
  db: Database,
  input: {
    importId: string;
    reason: string;
    actor: string;
    postingDate: string;
    requestId?: string;
  },
): Promise<ImportReversal> {
  return db.transaction(async (tx) => {
    // Serialise with any other reversal or posting of this import.
    await tx.execute(sql`select 1 from imports where id = ${input.importId} for update`);
    const [record] = await tx.select().from(imports).where(eq(imports.id, input.importId));
    if (record === undefined)
      return { outcome: 'refused', reasons: [{ field: 'importId', message: 'No such import' }] };
    const reasons: ReversalRefusal[] = [];
    if (record.reversedAt !== null)
      reasons.push({
        field: 'importId',
        message: `Already reversed on ${record.reversedAt.toISOString()}`,
      });
    if (record.state !== 'completed')
      reasons.push({
        field: 'importId',
        message: `Only a completed import can be reversed; this one is ${record.state}`,
      });
    const worked = await tx
      .select({ id: suspenseItems.id, state: suspenseItems.state })
      .from(suspenseItems)
      .where(
        and(
          eq(suspenseItems.sourceType, 'import'),
          eq(suspenseItems.sourceId, input.importId),
          or(
            ne(suspenseItems.state, 'open'),
            ne(suspenseItems.remainingPence, suspenseItems.amountPence),
          ),
        ),
      )
      .limit(5);
    for (const item of worked)
      reasons.push({
        field: 'suspenseItems',
        message: `Suspense item ${item.id} has been worked since (${item.state})`,
      });
    const posted = await tx
      .select({ id: journals.id })
      .from(journals)
      .where(
        and(
          eq(journals.sourceType, 'import'),
          eq(journals.sourceId, input.importId),
          eq(journals.kind, 'import'),
        ),
      );
    const ids = posted.map((row) => row.id);
    if (ids.length > 0) {
      const reversed = await tx
        .select({ id: journals.reversesJournalId })
        .from(journals)
        .where(and(isNotNull(journals.reversesJournalId), inArray(journals.reversesJournalId, ids)))
        .limit(5);
      for (const row of reversed)
        reasons.push({
          field: 'journals',
          message: `Journal ${row.id} has been reversed or re-allocated since`,
        });
    }
    // Money moved out of the import by hand (a move not since undone) would be taken twice.
    const moved = await tx
      .select({ id: journals.id })
      .from(journals)
      .where(
        and(
          eq(journals.sourceType, 'import'),
          eq(journals.sourceId, input.importId),
          eq(journals.kind, 'transfer'),
          sql`not exists (select 1 from journals r where r.council_id = "journals"."council_id" and r.reverses_journal_id = "journals"."id")`,
        ),
      )
      .limit(5);
    for (const row of moved)
      reasons.push({
        field: 'journals',
        message: `Journal ${row.id} moved money of this import: reverse it first`,
      });
    if (reasons.length > 0) return { outcome: 'refused', reasons };

    for (const journalId of ids) {
      await reverseJournal(tx, {
        journalId,
        idempotencyKey: `import:${input.importId}:reversal:${journalId}`,
        postingDate: input.postingDate,
        causedBy: input.actor,
        reason: input.reason,
      });
    }
    const withdrawn = await tx
      .update(suspenseItems)
      .set({ state: 'reversed', remainingPence: 0, updatedAt: sql`now()` })
      .where(
        and(eq(suspenseItems.sourceType, 'import'), eq(suspenseItems.sourceId, input.importId)),
      )
      .returning({ id: suspenseItems.id });
    await tx
      .update(imports)
      .set({
        reversedAt: sql`now()`,
        reversalReason: input.reason,
        state: 'reversed',
        updatedAt: sql`now()`,
      })
      .where(eq(imports.id, input.importId));
    await recordAudit(tx, {
      actor: input.actor,
      action: 'import.reverse',
      entityType: 'import',
      entityId: input.importId,
      reason: input.reason,
      after: { journalsReversed: ids.length, suspenseItemsWithdrawn: withdrawn.length },
      requestId: input.requestId,
    });
    return {
      outcome: 'reversed',
      journalsReversed: ids.length,
      suspenseItemsWithdrawn: withdrawn.length,
    };
  });
}
