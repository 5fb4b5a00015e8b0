import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { finalRefundStates, type RefundState, refundablePence } from '../domain/refund';
import { recordAudit } from './audit';
import type { AuditMeta } from './configWrites';
import type { Executor } from './executor';
import { lockFor } from './journals';
import { funds, refunds } from './schema';

/**
 * The refunds read model: creating a refund (with the check that nobody refunds more than was
 * paid), reading and searching, and the small updates the RefundWorkflow's activities make.
 */

export type RefundRow = typeof refunds.$inferSelect;
export type NewRefund = Omit<
  typeof refunds.$inferInsert,
  'createdAt' | 'updatedAt' | 'finishedAt' | 'pspSubmitting'
>;

export type CreateRefundResult =
  | { outcome: 'created' | 'replayed'; refund: RefundRow }
  | { outcome: 'key_reused'; refund: RefundRow }
  | { outcome: 'too_much'; refundablePence: number };

/**
 * Inserts the refund unless it would take the source's refunds (counting those in flight)
 * past `paidPence`. Requests for one source queue on an advisory lock, so two racing requests
 * cannot both fit in the same headroom.
 */
export async function createRefundRecord(
  db: Executor,
  refund: NewRefund,
  paidPence: number,
  meta: AuditMeta,
): Promise<CreateRefundResult> {
  return db.transaction(async (tx) => {
    await lockFor(tx, `refunds:${refund.sourceType}:${refund.sourceId}`);
    if (refund.idempotencyKey) {
      const [earlier] = await tx
        .select()
        .from(refunds)
        .where(eq(refunds.idempotencyKey, refund.idempotencyKey));
      if (earlier !== undefined) {
        const same =
          earlier.sourceId === refund.sourceId && earlier.amountPence === refund.amountPence;
        return { outcome: same ? 'replayed' : 'key_reused', refund: earlier };
      }
    }
    const existing = await tx
      .select({ amountPence: refunds.amountPence, state: refunds.state })
      .from(refunds)
      .where(and(eq(refunds.sourceType, refund.sourceType), eq(refunds.sourceId, refund.sourceId)));
    const headroomPence = refundablePence(paidPence, existing);
    if (refund.amountPence > headroomPence)
      return { outcome: 'too_much', refundablePence: headroomPence };
    const [created] = await tx.insert(refunds).values(refund).returning();
    await recordAudit(tx, {
      ...meta,
      action: 'refund.request',
      entityType: 'refund',
      entityId: refund.id,
      after: withoutBankDetails(created!),
    });
    return { outcome: 'created', refund: created! };
  });
}

/** Audit rows and API answers never carry the payee's bank details. */
export function withoutBankDetails(row: RefundRow) {
  const { bankAccountName: _n, bankAccountNumber: _a, bankSortCode: _s, ...rest } = row;
  return rest;
}

export async function getRefundRow(db: Executor, refundId: string): Promise<RefundRow | null> {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  return row ?? null;
}

/** Idempotent insert, for refunds a workflow creates (suspense refunds) and may retry. */
export async function insertRefundOnce(db: Executor, refund: NewRefund, meta: AuditMeta) {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(refunds)
      .values(refund)
      .onConflictDoNothing({ target: [refunds.councilId, refunds.id] })
      .returning();
    if (inserted[0] === undefined) return;
    await recordAudit(tx, {
      ...meta,
      action: 'refund.request',
      entityType: 'refund',
      entityId: refund.id,
      after: withoutBankDetails(inserted[0]),
    });
  });
}

export type RefundPatch = Partial<
  Pick<
    typeof refunds.$inferInsert,
    | 'state'
    | 'decidedBy'
    | 'decisionReason'
    | 'pspRefundId'
    | 'pspStatus'
    | 'pspSubmitting'
    | 'pspSubmittedBeforePence'
    | 'failureReason'
    | 'journalId'
  >
>;

export async function updateRefund(
  db: Executor,
  refundId: string,
  patch: RefundPatch,
): Promise<void> {
  await db
    .update(refunds)
    .set({ ...patch, updatedAt: sql`now()`, ...finishedAtFor(patch) })
    .where(eq(refunds.id, refundId));
}

function finishedAtFor(patch: RefundPatch) {
  return patch.state !== undefined && finalRefundStates.has(patch.state as RefundState)
    ? { finishedAt: sql`coalesce(${refunds.finishedAt}, now())` }
    : {};
}

/**
 * Moves a refund on from one of the `from` states, with its audit row, once: a retried
 * activity finds the state already moved and writes nothing. True when this call moved it.
 */
export async function transitionRefund(
  db: Executor,
  refundId: string,
  from: readonly string[],
  patch: RefundPatch,
  meta: AuditMeta & { action: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(refunds)
      .set({ ...patch, updatedAt: sql`now()`, ...finishedAtFor(patch) })
      .where(and(eq(refunds.id, refundId), inArray(refunds.state, [...from])))
      .returning({ id: refunds.id });
    if (moved.length === 0) return false;
    const { action, ...who } = meta;
    await recordAudit(tx, {
      ...who,
      action,
      entityType: 'refund',
      entityId: refundId,
      after: patch,
    });
    return true;
  });
}

export type RefundSearch = { state?: string; sourceId?: string; limit: number; before?: string };

export async function searchRefunds(db: Executor, search: RefundSearch) {
  const conditions: (SQL | undefined)[] = [
    search.state === undefined ? undefined : eq(refunds.state, search.state),
    search.sourceId === undefined ? undefined : eq(refunds.sourceId, search.sourceId),
    search.before === undefined ? undefined : lt(refunds.id, search.before),
  ];
  return db
    .select()
    .from(refunds)
    .where(and(...conditions))
    .orderBy(desc(refunds.id))
    .limit(search.limit);
}

/** Each fund's own refund approval threshold (null: the council's default), for these funds. */
export async function fundRefundThresholds(
  db: Executor,
  fundCodes: readonly string[],
): Promise<Map<string, number | null>> {
  if (fundCodes.length === 0) return new Map();
  const rows = await db
    .select({ code: funds.code, abovePence: funds.refundApprovalAbovePence })
    .from(funds)
    .where(inArray(funds.code, [...fundCodes]));
  return new Map(rows.map((row) => [row.code, row.abovePence]));
}
