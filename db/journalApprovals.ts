import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { newId } from '../domain/ids';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import type { JournalRequest } from './journalRequests';
import { journalApprovals } from './schema';

/**
 * Four-eyes on manual journals: above the threshold a move, transfer or reversal waits here,
 * checked but not posted, until someone else approves it (then it is posted) or rejects it.
 */

export type JournalApproval = typeof journalApprovals.$inferSelect;

/** Holds the request once per idempotency key: a retry answers the row the first call made. */
export async function holdForApproval(
  tx: Executor,
  input: { idempotencyKey: string; request: JournalRequest; reason: string },
  meta: AuditMeta,
): Promise<{ approval: JournalApproval; created: boolean }> {
  const id = newId('journalApproval');
  const inserted = await tx
    .insert(journalApprovals)
    .values({
      id,
      idempotencyKey: input.idempotencyKey,
      kind: input.request.kind,
      request: input.request,
      amountPence: input.request.amountPence,
      reason: input.reason,
      requestedBy: meta.actor,
      state: 'awaiting_approval',
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0] !== undefined) {
    await recordAudit(tx, {
      ...meta,
      action: 'journal_approval.request',
      entityType: 'journal_approval',
      entityId: id,
      after: { kind: input.request.kind, amountPence: input.request.amountPence },
    });
    return { approval: inserted[0], created: true };
  }
  const [existing] = await tx
    .select()
    .from(journalApprovals)
    .where(eq(journalApprovals.idempotencyKey, input.idempotencyKey));
  return { approval: existing!, created: false };
}

export async function getJournalApproval(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db.select().from(journalApprovals).where(eq(journalApprovals.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function listJournalApprovals(
  db: Executor,
  filter: { state?: JournalApproval['state']; before?: string; limit: number },
) {
  return db
    .select()
    .from(journalApprovals)
    .where(
      and(
        filter.state === undefined ? undefined : eq(journalApprovals.state, filter.state),
        filter.before === undefined ? undefined : lt(journalApprovals.id, filter.before),
      ),
    )
    .orderBy(desc(journalApprovals.id))
    .limit(filter.limit);
}

/** Records the decision on a row the caller has locked and found awaiting approval. */
export async function recordDecision(
  tx: Executor,
  approval: JournalApproval,
  decision: { state: 'approved' | 'rejected'; journalId: string | null },
  meta: AuditMeta,
) {
  const [row] = await tx
    .update(journalApprovals)
    .set({
      state: decision.state,
      journalId: decision.journalId,
      decidedBy: meta.actor,
      decisionReason: meta.reason ?? null,
      decidedAt: sql`now()`,
    })
    .where(eq(journalApprovals.id, approval.id))
    .returning();
  await recordAudit(tx, {
    ...meta,
    action: decision.state === 'approved' ? 'journal_approval.approve' : 'journal_approval.reject',
    entityType: 'journal_approval',
    entityId: approval.id,
    after: { journalId: decision.journalId },
  });
  return row!;
}
