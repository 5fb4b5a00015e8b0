import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  type CounterLine,
  type CounterProblem,
  changeDuePence,
  counterJournalLines,
  duplicateLineProblems,
  type PostedCounterLine,
  type Tender,
  tenderFitsMethod,
  tenderProblems,
  withVat,
} from '../domain/cashDesk';
import { newId } from '../domain/ids';
import { loadAllocationContext } from './allocationContext';
import { recordAudit } from './audit';
import { checkBasketInDatabase } from './basketCheck';
import type { Executor } from './executor';
import { postJournal, reverseJournal } from './ledger';
import { queueOutboxMessage } from './outbox';
import {
  cashierAssignments,
  cashReturns,
  counterPaymentLines,
  counterPayments,
  receiptCounters,
} from './schema';

/**
 * Counter and postal payments: checked by the same money core as every channel, then posted,
 * numbered and queued for the line-of-business systems in ONE transaction, so a receipt number
 * is never issued for money the ledger does not have, and none is skipped.
 */

export type CounterPaymentInput = {
  id: string;
  idempotencyKey: string | null;
  /** sha256 of the request body, so a key reused for another basket is refused. */
  requestHash: string;
  cashier: string;
  methodOfPaymentCode: string;
  tender: Tender;
  lines: readonly CounterLine[];
  permissions: ReadonlySet<string>;
  businessDate: string;
};

export type CounterPaymentResult =
  | { outcome: 'created' | 'replayed'; id: string }
  | { outcome: 'key_reused'; id: string }
  | { outcome: 'refused'; status: 403 | 422; problems: CounterProblem[] };

export async function getAssignment(db: Executor, actorId: string) {
  const [row] = await db
    .select()
    .from(cashierAssignments)
    .where(eq(cashierAssignments.actorId, actorId));
  return row ?? null;
}

export async function listAssignments(db: Executor) {
  return db.select().from(cashierAssignments).orderBy(asc(cashierAssignments.actorId));
}

export async function putAssignment(
  db: Executor,
  input: { actorId: string; officeCode: string; methodOfPaymentCodes: string[] },
  actor: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getAssignment(tx, input.actorId);
    await tx
      .insert(cashierAssignments)
      .values(input)
      .onConflictDoUpdate({
        target: [cashierAssignments.councilId, cashierAssignments.actorId],
        set: { ...input, updatedAt: sql`now()` },
      });
    await recordAudit(tx, {
      actor,
      action: 'cashier_assignment.put',
      entityType: 'cashier_assignment',
      entityId: input.actorId,
      before,
      after: input,
    });
  });
}

/** What the money core and the desk's own rules say about a basket, before anything is written. */
async function checkCounterBasket(
  tx: Executor,
  input: CounterPaymentInput,
  officeCode: string,
): Promise<{ problems: CounterProblem[]; lines: PostedCounterLine[] }> {
  // Limits and validators apply to a write-back line's size: it is checked as the sum it undoes.
  const basket = await checkBasketInDatabase(tx, {
    lines: input.lines.map((line) => ({ ...line, amountPence: Math.abs(line.amountPence) })),
    methodOfPaymentCode: input.methodOfPaymentCode,
    permissions: input.permissions,
  });
  if (!basket.ok) return { problems: basket.rejections, lines: [] };
  const lines = basket.lines.map((line, index) =>
    withVat({ ...input.lines[index]!, ...line, amountPence: input.lines[index]!.amountPence }),
  );
  const totalPence = lines.reduce((sum, line) => sum + line.amountPence, 0);
  const problems = [...duplicateLineProblems(lines), ...tenderProblems(input.tender, totalPence)];
  const method = (await loadAllocationContext(tx)).methodsOfPayment.get(input.methodOfPaymentCode);
  if (method !== undefined && !tenderFitsMethod(input.tender.kind, method))
    problems.push({
      field: 'tender.kind',
      message: `${method.name} does not take ${input.tender.kind.replace('_', ' ')}`,
    });
  if (totalPence < 0)
    problems.push({ field: 'lines', message: 'A basket cannot pay money out of the till' });
  if (totalPence === 0 && lines.every((line) => line.amountPence > 0))
    problems.push({ field: 'lines', message: 'The basket totals nothing' });
  problems.push(...(await writeBackProblems(tx, lines, officeCode, input.businessDate)));
  return { problems, lines };
}

/**
 * A write-back line undoes a mistake made earlier the same day at the same office: there must
 * be at least that much still standing on that fund and reference there today.
 */
async function writeBackProblems(
  tx: Executor,
  lines: readonly PostedCounterLine[],
  officeCode: string,
  businessDate: string,
): Promise<CounterProblem[]> {
  const problems: CounterProblem[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.amountPence >= 0) continue;
    const [row] = await tx.execute<{ standing_pence: string | null }>(sql`
      select sum(l.amount_pence)::bigint as standing_pence
        from counter_payment_lines l
        join counter_payments p on p.id = l.counter_payment_id
       where p.state = 'posted' and p.office_code = ${officeCode}
         and p.business_date = ${businessDate}
         and l.fund_code = ${line.fundCode} and l.reference = ${line.reference}`);
    if (Number(row?.standing_pence ?? 0) < -line.amountPence)
      problems.push({
        field: `lines[${index}].amountPence`,
        message: 'writes back more than was taken for this reference at this office today',
      });
  }
  return problems;
}

/** The next receipt number of the office, taken by updating its counter row in this transaction. */
async function nextReceiptNo(tx: Executor, officeCode: string): Promise<number> {
  const [row] = await tx
    .insert(receiptCounters)
    .values({ officeCode, lastReceiptNo: 1 })
    .onConflictDoUpdate({
      target: [receiptCounters.councilId, receiptCounters.officeCode],
      set: { lastReceiptNo: sql`${receiptCounters.lastReceiptNo} + 1` },
    })
    .returning({ receiptNo: receiptCounters.lastReceiptNo });
  return row!.receiptNo;
}

export async function takeCounterPayment(
  db: Executor,
  input: CounterPaymentInput,
): Promise<CounterPaymentResult> {
  return db.transaction(async (tx) => {
    if (input.idempotencyKey !== null) {
      const [existing] = await tx
        .select({ id: counterPayments.id, requestHash: counterPayments.requestHash })
        .from(counterPayments)
        .where(eq(counterPayments.idempotencyKey, input.idempotencyKey));
      if (existing !== undefined)
        return {
          outcome: existing.requestHash === input.requestHash ? 'replayed' : 'key_reused',
          id: existing.id,
        };
    }
    const assignment = await getAssignment(tx, input.cashier);
    if (assignment === null)
      return refused(403, 'actor', 'You have no office to take payments at: ask an administrator');
    if (!assignment.methodOfPaymentCodes.includes(input.methodOfPaymentCode))
      return refused(403, 'methodOfPaymentCode', 'You may not take this method of payment');
    const { problems, lines } = await checkCounterBasket(tx, input, assignment.officeCode);
    if (problems.length > 0) return { outcome: 'refused', status: 422, problems };
    const totalPence = lines.reduce((sum, line) => sum + line.amountPence, 0);
    await insertCounterPayment(tx, input, assignment.officeCode, lines, totalPence);
    return { outcome: 'created', id: input.id };
  });
}

function refused(status: 403 | 422, field: string, message: string): CounterPaymentResult {
  return { outcome: 'refused', status, problems: [{ field, message }] };
}

async function insertCounterPayment(
  tx: Executor,
  input: CounterPaymentInput,
  officeCode: string,
  lines: PostedCounterLine[],
  totalPence: number,
): Promise<void> {
  const receiptNo = await nextReceiptNo(tx, officeCode);
  const { journalId } = await postJournal(tx, {
    idempotencyKey: `counter_payment:${input.id}`,
    kind: 'payment',
    description: `Counter payment ${officeCode}/${receiptNo} (${input.tender.kind.replace('_', ' ')})`,
    postingDate: input.businessDate,
    causedBy: input.cashier,
    sourceType: 'counter_payment',
    sourceId: input.id,
    lines: counterJournalLines(input.tender.kind, lines),
  });
  const tender = input.tender;
  await tx.insert(counterPayments).values({
    id: input.id,
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    officeCode,
    receiptNo,
    cashier: input.cashier,
    methodOfPaymentCode: input.methodOfPaymentCode,
    tenderKind: tender.kind,
    amountPence: totalPence,
    tenderedPence: tender.kind === 'cash' ? tender.tenderedPence : null,
    changePence: tender.kind === 'cash' ? changeDuePence(tender, totalPence) : null,
    chequeDrawer: tender.kind === 'cheque' ? tender.drawer.trim() : null,
    chequeSortCode: tender.kind === 'cheque' ? tender.sortCode.replace(/[\s-]/g, '') : null,
    chequeNumber:
      tender.kind === 'cheque'
        ? tender.chequeNumber.trim()
        : tender.kind === 'postal_order'
          ? tender.serialNumber.trim()
          : null,
    pdqAuthCode: tender.kind === 'pdq' ? tender.authorisationCode.trim().toUpperCase() : null,
    businessDate: input.businessDate,
    state: 'posted',
    journalId,
  });
  await tx.insert(counterPaymentLines).values(
    lines.map((line, index) => ({
      counterPaymentId: input.id,
      lineNo: index + 1,
      fundCode: line.fundCode,
      reference: line.reference,
      amountPence: line.amountPence,
      vatCode: line.vatCode,
      vatPence: line.vatPence,
      narrative: line.narrative ?? null,
    })),
  );
  // The same message a card payment's allocation queues, so line-of-business systems see one.
  await queueOutboxMessage(tx, {
    topic: 'payment.receipt',
    dedupeKey: `receipt:${input.id}`,
    payload: {
      paymentId: input.id,
      channel: 'counter',
      officeCode,
      receiptNo,
      methodOfPaymentCode: input.methodOfPaymentCode,
      amountPence: totalPence,
      journalId,
      postingDate: input.businessDate,
      lines: lines.map(({ fundCode, reference, amountPence }) => ({
        fundCode,
        reference,
        amountPence,
      })),
    },
    orderingKey: input.id,
    fundCodes: [...new Set(lines.map((line) => line.fundCode))],
  });
  await recordAudit(tx, {
    actor: input.cashier,
    action: 'counter_payment.take',
    entityType: 'counter_payment',
    entityId: input.id,
    after: { officeCode, receiptNo, amountPence: totalPence, tenderKind: input.tender.kind },
  });
}

export type VoidResult =
  | { outcome: 'voided' }
  | { outcome: 'not_found' }
  | { outcome: 'conflict'; message: string };

/** Voids a counter payment by reversing its journal; once its day's return is approved, never. */
export async function voidCounterPayment(
  db: Executor,
  input: { id: string; reason: string; actor: string; postingDate: string; requestId?: string },
): Promise<VoidResult> {
  return db.transaction(async (tx) => {
    const [payment] = await tx
      .select()
      .from(counterPayments)
      .where(eq(counterPayments.id, input.id))
      .for('update');
    if (payment === undefined) return { outcome: 'not_found' };
    if (payment.state === 'voided')
      return { outcome: 'conflict', message: 'The payment is voided already' };
    const [settled] = await tx
      .select({ id: cashReturns.id })
      .from(cashReturns)
      .where(
        and(
          eq(cashReturns.officeCode, payment.officeCode),
          eq(cashReturns.cashier, payment.cashier),
          eq(cashReturns.businessDate, payment.businessDate),
          sql`${cashReturns.state} in ('submitted', 'approved')`,
        ),
      );
    if (settled !== undefined)
      return {
        outcome: 'conflict',
        message: `The cash return ${settled.id} covering it is submitted: reject it first`,
      };
    const { journalId } = await reverseJournal(tx, {
      journalId: payment.journalId,
      idempotencyKey: `counter_payment:${input.id}:void`,
      postingDate: input.postingDate,
      causedBy: input.actor,
      reason: input.reason,
    });
    await tx
      .update(counterPayments)
      .set({
        state: 'voided',
        voidJournalId: journalId,
        voidReason: input.reason,
        voidedBy: input.actor,
        voidedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(counterPayments.id, input.id));
    await queueOutboxMessage(tx, {
      topic: 'counter_payment.voided',
      dedupeKey: `void:${input.id}`,
      payload: { paymentId: input.id, journalId, reason: input.reason },
      orderingKey: input.id,
      fundCodes: [],
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'counter_payment.void',
      entityType: 'counter_payment',
      entityId: input.id,
      reason: input.reason,
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    });
    return { outcome: 'voided' };
  });
}

export async function getCounterPayment(db: Executor, id: string) {
  const [payment] = await db.select().from(counterPayments).where(eq(counterPayments.id, id));
  if (payment === undefined) return null;
  const lines = await db
    .select()
    .from(counterPaymentLines)
    .where(eq(counterPaymentLines.counterPaymentId, id))
    .orderBy(asc(counterPaymentLines.lineNo));
  return { payment, lines };
}

export type CounterPaymentRecord = NonNullable<Awaited<ReturnType<typeof getCounterPayment>>>;

/** Counts a reprint and answers how many there have been (the first print is not one). */
export async function countReprint(db: Executor, id: string): Promise<number> {
  const [row] = await db
    .update(counterPayments)
    .set({ reprintCount: sql`${counterPayments.reprintCount} + 1` })
    .where(eq(counterPayments.id, id))
    .returning({ reprintCount: counterPayments.reprintCount });
  return row?.reprintCount ?? 0;
}

export async function searchCounterPayments(
  db: Executor,
  filter: { businessDate?: string; officeCode?: string; cashier?: string; limit: number },
) {
  const conditions = [
    filter.businessDate === undefined
      ? undefined
      : eq(counterPayments.businessDate, filter.businessDate),
    filter.officeCode === undefined ? undefined : eq(counterPayments.officeCode, filter.officeCode),
    filter.cashier === undefined ? undefined : eq(counterPayments.cashier, filter.cashier),
  ].filter((condition) => condition !== undefined);
  return db
    .select()
    .from(counterPayments)
    .where(and(...conditions))
    .orderBy(desc(counterPayments.id))
    .limit(filter.limit);
}

export const newCounterPaymentId = () => newId('counterPayment');
