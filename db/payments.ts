import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { PaymentLine, PaymentState } from '../domain/payment';
import { recordAudit } from './audit';
import type { Database } from './client';
import { queueOutboxMessage } from './outbox';
import { paymentEvents, paymentLines, payments } from './schema';

type Db = Pick<Database, 'select' | 'insert' | 'update' | 'transaction'>;

export type NewPayment = {
  id: string;
  idempotencyKey: string | null;
  requestHash: string;
  amountPence: number;
  description: string;
  returnUrl: string;
  methodOfPaymentCode: string;
  officeCode: string | null;
  createdBy: string;
  lines: readonly PaymentLine[];
};

export type CreatePaymentResult =
  | { outcome: 'created'; paymentId: string }
  | { outcome: 'replayed'; paymentId: string }
  | { outcome: 'key_reused'; paymentId: string };

/**
 * Records a new payment, or finds the one an earlier request with the same Idempotency-Key
 * made. Two racing requests with one key meet at the unique index: the second waits for the
 * first to commit and then reads its payment.
 */
export async function createPaymentRecord(
  db: Db,
  payment: NewPayment,
): Promise<CreatePaymentResult> {
  return db.transaction(async (tx) => {
    const { lines, ...row } = payment;
    const inserted = await tx
      .insert(payments)
      .values({ ...row, state: 'validating' })
      .onConflictDoNothing({ target: [payments.councilId, payments.idempotencyKey] })
      .returning({ id: payments.id });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select({ id: payments.id, requestHash: payments.requestHash })
        .from(payments)
        .where(eq(payments.idempotencyKey, payment.idempotencyKey ?? ''));
      if (existing === undefined)
        throw new Error('idempotency conflict without an existing payment');
      return {
        outcome: existing.requestHash === payment.requestHash ? 'replayed' : 'key_reused',
        paymentId: existing.id,
      };
    }
    await tx
      .insert(paymentLines)
      .values(lines.map((line, index) => ({ paymentId: payment.id, lineNo: index + 1, ...line })));
    await tx.insert(paymentEvents).values({
      paymentId: payment.id,
      dedupeKey: `${payment.id}:requested`,
      event: 'requested',
      detail: { amountPence: payment.amountPence, lineCount: lines.length },
    });
    // Who took it, on the record with the money: the audit trail covers every payment taken.
    await recordAudit(tx, {
      actor: payment.createdBy,
      action: 'payment.create',
      entityType: 'payment',
      entityId: payment.id,
      after: {
        amountPence: payment.amountPence,
        methodOfPaymentCode: payment.methodOfPaymentCode,
        officeCode: payment.officeCode,
        lineCount: lines.length,
      },
    });
    return { outcome: 'created', paymentId: payment.id };
  });
}

/** Appends to the timeline once per dedupe key, so a retried activity records an event once. */
export async function recordPaymentEvent(
  db: Pick<Database, 'insert'>,
  paymentId: string,
  dedupeKey: string,
  event: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insert(paymentEvents)
    .values({ paymentId, dedupeKey: `${paymentId}:${dedupeKey}`, event, detail })
    .onConflictDoNothing();
}

export type PaymentPatch = Partial<
  Pick<
    typeof payments.$inferInsert,
    | 'state'
    | 'pspPaymentId'
    | 'nextUrl'
    | 'pspStatus'
    | 'failureCode'
    | 'failureMessage'
    | 'feePence'
    | 'journalId'
    | 'finishedAt'
    | 'cardFirstDigits'
    | 'cardLastDigits'
    | 'cardBrand'
    | 'cardExpiryDate'
  >
>;

export async function updatePayment(
  db: Pick<Database, 'update'>,
  paymentId: string,
  patch: PaymentPatch,
): Promise<void> {
  await db
    .update(payments)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(payments.id, paymentId));
}

export async function setLineVatCodes(
  db: Pick<Database, 'update'>,
  paymentId: string,
  vatCodes: readonly string[],
): Promise<void> {
  for (const [index, vatCode] of vatCodes.entries()) {
    await db
      .update(paymentLines)
      .set({ vatCode })
      .where(and(eq(paymentLines.paymentId, paymentId), eq(paymentLines.lineNo, index + 1)));
  }
}

/**
 * The final step of a payment: its state and, for allocated payments, the receipt in the
 * outbox, in one transaction. Safe to repeat: the receipt's dedupe key makes it once only.
 */
export async function completePaymentRecord(
  db: Db,
  input: {
    paymentId: string;
    state: PaymentState;
    journalId?: string | null;
    receipt?: Record<string, unknown>;
  },
): Promise<{ outboxId: string | null }> {
  return db.transaction(async (tx) => {
    await tx
      .update(payments)
      .set({
        state: input.state,
        journalId: input.journalId ?? null,
        finishedAt: sql`coalesce(${payments.finishedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(payments.id, input.paymentId));
    await tx
      .insert(paymentEvents)
      .values({
        paymentId: input.paymentId,
        dedupeKey: `${input.paymentId}:final`,
        event: input.state,
        detail: input.journalId ? { journalId: input.journalId } : {},
      })
      .onConflictDoNothing();
    if (input.receipt === undefined) return { outboxId: null };
    const fundCodes = (input.receipt.lines as { fundCode: string }[] | undefined) ?? [];
    const outboxId = await queueOutboxMessage(tx, {
      topic: 'payment.receipt',
      dedupeKey: `receipt:${input.paymentId}`,
      payload: input.receipt,
      // A payment's messages reach each receiver in order: its receipt before its refunds.
      orderingKey: input.paymentId,
      fundCodes: [...new Set(fundCodes.map((line) => line.fundCode))],
    });
    return { outboxId };
  });
}

export async function getPaymentRecord(db: Pick<Database, 'select'>, paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  if (payment === undefined) return null;
  const lines = await db
    .select()
    .from(paymentLines)
    .where(eq(paymentLines.paymentId, paymentId))
    .orderBy(asc(paymentLines.lineNo));
  const events = await db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(asc(paymentEvents.id));
  return { payment, lines, events };
}

export async function findPaymentIdByPspId(
  db: Pick<Database, 'select'>,
  pspPaymentId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(eq(payments.pspPaymentId, pspPaymentId));
  return row?.id ?? null;
}

export type PaymentSearch = {
  reference?: string;
  state?: string;
  from?: string;
  to?: string;
  limit: number;
  before?: string;
  idempotencyKey?: string;
  /** Only payments with a line for one of these funds (a caller's fund-group scope). */
  fundCodes?: string[];
  /** Only payments with a line for this fund. */
  fundCode?: string;
};

/**
 * Newest first, paged by id (ids are time-ordered), filtered by line reference, fund, state and
 * day; each with the funds of its lines.
 */
export async function searchPayments(db: Pick<Database, 'select'>, search: PaymentSearch) {
  const conditions = [
    search.state === undefined ? undefined : eq(payments.state, search.state),
    search.idempotencyKey === undefined
      ? undefined
      : eq(payments.idempotencyKey, search.idempotencyKey),
    search.from === undefined
      ? undefined
      : gte(payments.createdAt, new Date(`${search.from}T00:00:00Z`)),
    search.to === undefined
      ? undefined
      : lt(payments.createdAt, new Date(new Date(`${search.to}T00:00:00Z`).getTime() + 86_400_000)),
    search.before === undefined ? undefined : lt(payments.id, search.before),
    search.reference === undefined
      ? undefined
      : inArray(
          payments.id,
          db
            .select({ id: paymentLines.paymentId })
            .from(paymentLines)
            .where(eq(paymentLines.reference, search.reference.trim().toUpperCase())),
        ),
    search.fundCodes === undefined
      ? undefined
      : inArray(
          payments.id,
          db
            .select({ id: paymentLines.paymentId })
            .from(paymentLines)
            .where(inArray(paymentLines.fundCode, search.fundCodes)),
        ),
    search.fundCode === undefined
      ? undefined
      : inArray(
          payments.id,
          db
            .select({ id: paymentLines.paymentId })
            .from(paymentLines)
            .where(eq(paymentLines.fundCode, search.fundCode)),
        ),
  ].filter((condition) => condition !== undefined);
  const rows = await db
    .select({
      id: payments.id,
      state: payments.state,
      amountPence: payments.amountPence,
      description: payments.description,
      createdAt: payments.createdAt,
      journalId: payments.journalId,
    })
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.id))
    .limit(search.limit);
  const fundsOf = await lineFundCodes(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, fundCodes: fundsOf.get(row.id) ?? [] }));
}

/** Each payment's funds, in the order of its lines, each once. */
async function lineFundCodes(
  db: Pick<Database, 'select'>,
  paymentIds: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (paymentIds.length === 0) return result;
  const lines = await db
    .select({ paymentId: paymentLines.paymentId, fundCode: paymentLines.fundCode })
    .from(paymentLines)
    .where(inArray(paymentLines.paymentId, [...paymentIds]))
    .orderBy(asc(paymentLines.paymentId), asc(paymentLines.lineNo));
  for (const line of lines) {
    const codes = result.get(line.paymentId) ?? [];
    if (!codes.includes(line.fundCode)) codes.push(line.fundCode);
    result.set(line.paymentId, codes);
  }
  return result;
}
