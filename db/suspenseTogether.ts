import { asc, eq, inArray, sql } from 'drizzle-orm';
import { fundAccountCode } from '../domain/ledgerAccounts';
import type { CheckedPart } from '../domain/suspense';
import { type ItemShare, slicesOf, togetherLines } from '../domain/suspenseTogether';
import { recordAudit } from './audit';
import { postJournalOnOpenDay } from './closeOfDay';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { fundBalancePence, JournalRefusal, lockFor } from './journals';
import { journals, suspenseAllocations, suspenseItems } from './schema';
import { suspenseFundCode } from './suspense';
import { recordSuspenseEvent } from './suspenseActions';

/**
 * Posts an allocation of several suspense items (and credit notes) as one journal, and lowers
 * each item's remaining amount, in one transaction. Each item's workflow has already held its
 * share (api/routes/suspenseTogether.ts); the row locks, the credit notes' balances and the
 * items' check constraint make the database refuse what the holds did not foresee. Idempotent
 * by group id: a retry finds the journal and changes nothing.
 */
export type TogetherPosting = {
  groupId: string;
  items: readonly ItemShare[];
  parts: readonly CheckedPart[];
  creditNotes: readonly CheckedPart[];
  postingDate: string;
};

const journalKeyOf = (groupId: string) => `suspense-together:${groupId}`;

/** The group's journal if an earlier attempt posted it: a retry then only settles the holds. */
export async function postedTogether(db: Executor, groupId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: journals.id })
    .from(journals)
    .where(eq(journals.idempotencyKey, journalKeyOf(groupId)));
  return row?.id ?? null;
}

export async function postSuspenseTogether(
  db: Executor,
  posting: TogetherPosting,
  meta: AuditMeta,
): Promise<{ journalId: string; created: boolean }> {
  return db.transaction(async (tx) => {
    const ids = posting.items.map((item) => item.suspenseId);
    const rows = await tx
      .select()
      .from(suspenseItems)
      .where(inArray(suspenseItems.id, ids))
      .orderBy(asc(suspenseItems.id))
      .for('update');
    const items = posting.items.map((share, index) => {
      const row = rows.find((candidate) => candidate.id === share.suspenseId);
      if (row === undefined)
        throw new JournalRefusal('not_found', `body.items[${index}].suspenseId`, 'No such item');
      return { ...share, receivedReference: row.receivedReference, row, index };
    });
    for (const [index, note] of posting.creditNotes.entries()) {
      const account = fundAccountCode(note.fundCode);
      await lockFor(tx, `account:${account}`);
      const heldPence = await fundBalancePence(tx, account, note.reference);
      if (heldPence < note.amountPence)
        throw new JournalRefusal(
          'unprocessable',
          `body.creditNotes[${index}].amountPence`,
          `${note.fundCode} ${note.reference} holds only ${heldPence} pence of credit`,
        );
    }
    const posted = await postJournalOnOpenDay(tx, {
      idempotencyKey: journalKeyOf(posting.groupId),
      kind: 'allocation',
      description: `Allocated together out of suspense ${ids.join(', ')}: ${meta.reason ?? ''}`,
      postingDate: posting.postingDate,
      causedBy: meta.actor,
      // The journal spans several items, so no one of them is its source.
      sourceType: 'suspense_group',
      sourceId: posting.groupId,
      lines: togetherLines(await suspenseFundCode(tx), items, posting.creditNotes, posting.parts),
    });
    if (!posted.created) return { journalId: posted.journalId, created: false };
    const slices = slicesOf([...items, ...posting.creditNotes], posting.parts);
    for (const item of items) {
      await takeFromItem(tx, item, slices[item.index]!, posted.journalId, posting.groupId, meta);
    }
    await recordAudit(tx, {
      ...meta,
      action: 'suspense.allocate_together',
      entityType: 'journal',
      entityId: posted.journalId,
      after: { items: posting.items, parts: posting.parts, creditNotes: posting.creditNotes },
    });
    return { journalId: posted.journalId, created: true };
  });
}

async function takeFromItem(
  tx: Executor,
  item: ItemShare & { row: typeof suspenseItems.$inferSelect; index: number },
  slices: readonly CheckedPart[],
  journalId: string,
  groupId: string,
  meta: AuditMeta,
) {
  if (item.row.state !== 'open' || item.row.remainingPence < item.amountPence) {
    throw new JournalRefusal(
      'unprocessable',
      `body.items[${item.index}].amountPence`,
      `${item.suspenseId} has only ${item.row.remainingPence} pence left (${item.row.state})`,
    );
  }
  await tx
    .update(suspenseItems)
    .set({
      remainingPence: sql`${suspenseItems.remainingPence} - ${item.amountPence}`,
      state: sql`case when ${suspenseItems.remainingPence} = ${item.amountPence} then 'allocated' else ${suspenseItems.state} end`,
      updatedAt: sql`now()`,
    })
    .where(eq(suspenseItems.id, item.suspenseId));
  await tx.insert(suspenseAllocations).values(
    slices.map((slice, index) => ({
      suspenseId: item.suspenseId,
      updateId: groupId,
      partNo: index + 1,
      fundCode: slice.fundCode,
      reference: slice.reference,
      amountPence: slice.amountPence,
      journalId,
      allocatedBy: meta.actor,
    })),
  );
  await recordSuspenseEvent(tx, {
    suspenseId: item.suspenseId,
    dedupeKey: `${item.suspenseId}:${groupId}`,
    event: 'allocated',
    actor: meta.actor,
    reason: meta.reason ?? null,
    detail: { journalId, amountPence: item.amountPence, together: groupId, parts: slices },
  });
}
