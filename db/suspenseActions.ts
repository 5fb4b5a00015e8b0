import { eq, sql } from 'drizzle-orm';
import type { LedgerLine } from '../domain/ledger';
import type { SuspenseState } from '../domain/suspense';
import { recordAudit } from './audit';
import type { Executor } from './executor';
import { postJournal } from './ledger';
import { queueSuspenseAllocatedMessage } from './moneyEvents';
import { suspenseAllocations, suspenseEvents, suspenseItems, suspenseWork } from './schema';

/**
 * What the SuspenseWorkflow's activities write. Every function is safe to repeat: an action is
 * keyed by its Temporal update id, and a second run finds the first one's rows and returns
 * what it did. The item's row, the ledger, the event and the audit row change together.
 */

export type SuspenseEventInput = {
  suspenseId: string;
  /** Unique per action, e.g. `sus_…:<update id>`. */
  dedupeKey: string;
  event: string;
  actor: string;
  reason?: string | null;
  text?: string | null;
  detail?: Record<string, unknown>;
};

/** Records the event and its audit row once; true when this call recorded it. */
export async function recordSuspenseEvent(db: Executor, input: SuspenseEventInput) {
  const inserted = await db
    .insert(suspenseEvents)
    .values({
      suspenseId: input.suspenseId,
      dedupeKey: input.dedupeKey,
      event: input.event,
      actor: input.actor,
      text: input.text ?? null,
      detail: input.detail ?? {},
    })
    .onConflictDoNothing({ target: [suspenseEvents.councilId, suspenseEvents.dedupeKey] })
    .returning({ id: suspenseEvents.id });
  if (inserted.length === 0) return false;
  await recordAudit(db, {
    actor: input.actor,
    action: `suspense.${input.event}`,
    entityType: 'suspense',
    entityId: input.suspenseId,
    reason: input.reason ?? undefined,
    after: { ...input.detail, ...(input.text ? { text: input.text } : {}) },
  });
  return true;
}

export type SuspenseWorkPatch = Partial<
  Pick<
    typeof suspenseWork.$inferInsert,
    'priority' | 'overdue' | 'overdueSince' | 'writeOffRequestedBy' | 'writeOffReason'
  >
>;

/** Items the import pipeline created have no work row until their workflow first acts. */
export async function patchSuspenseWork(
  db: Executor,
  suspenseId: string,
  patch: SuspenseWorkPatch,
): Promise<void> {
  await db
    .insert(suspenseWork)
    .values({ suspenseId, ...patch })
    .onConflictDoUpdate({
      target: [suspenseWork.councilId, suspenseWork.suspenseId],
      set: { ...patch, updatedAt: sql`now()` },
    });
}

/** An event plus a change to the item or its work row, in one transaction. */
export async function recordSuspenseChange(
  db: Executor,
  event: SuspenseEventInput,
  change: { assignedTo?: string | null; work?: SuspenseWorkPatch },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await recordSuspenseEvent(tx, event))) return;
    if (change.assignedTo !== undefined) {
      await tx
        .update(suspenseItems)
        .set({ assignedTo: change.assignedTo, updatedAt: sql`now()` })
        .where(eq(suspenseItems.id, event.suspenseId));
    }
    if (change.work !== undefined) await patchSuspenseWork(tx, event.suspenseId, change.work);
  });
}

export type SuspensePosting = {
  suspenseId: string;
  updateId: string;
  actor: string;
  reason: string | null;
  event: 'allocated' | 'written_off';
  journal: {
    kind: 'allocation' | 'write_off';
    description: string;
    postingDate: string;
    lines: LedgerLine[];
  };
  amountPence: number;
  /** The item's state when this posting takes what remains. */
  stateWhenEmpty: SuspenseState;
  parts?: { fundCode: string; reference: string; amountPence: number }[];
};

/**
 * Posts an allocation or write-off out of suspense and lowers the item's remaining amount, in
 * one transaction. The row lock and the check constraint make the database refuse to take more
 * than remains, whatever the workflow believed.
 */
export async function postFromSuspense(
  db: Executor,
  posting: SuspensePosting,
): Promise<{ journalId: string; remainingPence: number; state: SuspenseState }> {
  return db.transaction(async (tx) => {
    const { journalId, created } = await postJournal(tx, {
      idempotencyKey: `suspense:${posting.suspenseId}:${posting.updateId}`,
      kind: posting.journal.kind,
      description: posting.journal.description,
      postingDate: posting.journal.postingDate,
      causedBy: posting.actor,
      sourceType: 'suspense',
      sourceId: posting.suspenseId,
      lines: posting.journal.lines,
    });
    if (created) {
      await tx
        .update(suspenseItems)
        .set({
          remainingPence: sql`${suspenseItems.remainingPence} - ${posting.amountPence}`,
          state: sql`case when ${suspenseItems.remainingPence} = ${posting.amountPence} then ${posting.stateWhenEmpty} else ${suspenseItems.state} end`,
          updatedAt: sql`now()`,
        })
        .where(eq(suspenseItems.id, posting.suspenseId));
      if (posting.parts !== undefined) {
        await tx.insert(suspenseAllocations).values(
          posting.parts.map((part, index) => ({
            suspenseId: posting.suspenseId,
            updateId: posting.updateId,
            partNo: index + 1,
            ...part,
            journalId,
            allocatedBy: posting.actor,
          })),
        );
        // Relayed by the outbox sweep (workflows/outbox.ts) within a minute.
        await queueSuspenseAllocatedMessage(tx, {
          journalId,
          suspenseId: posting.suspenseId,
          amountPence: posting.amountPence,
          postingDate: posting.journal.postingDate,
          parts: posting.parts,
        });
      }
      await recordSuspenseEvent(tx, {
        suspenseId: posting.suspenseId,
        dedupeKey: `${posting.suspenseId}:${posting.updateId}`,
        event: posting.event,
        actor: posting.actor,
        reason: posting.reason,
        detail: { journalId, amountPence: posting.amountPence, parts: posting.parts ?? [] },
      });
    }
    const [item] = await tx
      .select({ remainingPence: suspenseItems.remainingPence, state: suspenseItems.state })
      .from(suspenseItems)
      .where(eq(suspenseItems.id, posting.suspenseId));
    if (item === undefined) throw new Error(`suspense item ${posting.suspenseId} vanished`);
    return { journalId, remainingPence: item.remainingPence, state: item.state };
  });
}
