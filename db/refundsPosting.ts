import { eq, sql } from 'drizzle-orm';
import { bacsCreditRecord } from '../domain/bacs';
import { newId } from '../domain/ids';
import { controlAccounts } from '../domain/ledgerAccounts';
import { postedRefundState } from '../domain/refund';
import { refundLines, spreadOverHoldings, type Taken } from '../domain/refundHoldings';
import { suspenseLedgerReference } from '../domain/suspense';
import { recordAudit } from './audit';
import type { Executor } from './executor';
import { lockFor, sourceHoldings } from './journals';
import { postJournal } from './ledger';
import { queueOutboxMessage } from './outbox';
import { getRefundRow, type RefundRow, updateRefund } from './refunds';
import { bankPayments, outbox, refunds, suspenseItems } from './schema';
import { suspenseFundCode } from './suspense';
import { recordSuspenseEvent } from './suspenseActions';

/**
 * The money side of a refund: the one-at-a-time PSP submission slot, and the final posting
 * (journal, BACS record, suspense remainder, notification) in one transaction.
 */

/**
 * Claims the one submission slot of the refund's source (a partial unique index allows one
 * refund per payment in `psp_submitting`). False while another refund of the same payment
 * holds it, so after a lost PSP answer the refund summary can only be explained by ours.
 */
export async function claimSubmissionSlot(db: Executor, refundId: string): Promise<boolean> {
  try {
    await db.update(refunds).set({ pspSubmitting: true }).where(eq(refunds.id, refundId));
    return true;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
    if (cause?.code === '23505') return false;
    throw error;
  }
}

export async function releaseSubmissionSlot(db: Executor, refundId: string): Promise<void> {
  await db.update(refunds).set({ pspSubmitting: false }).where(eq(refunds.id, refundId));
}

export type Originator = { sortCode: string; accountNumber: string; name: string };

async function takenFor(tx: Executor, refund: RefundRow): Promise<Taken[]> {
  if (refund.sourceType === 'payment') {
    const holdings = await sourceHoldings(tx, 'payment', refund.sourceId);
    return spreadOverHoldings(holdings, refund.amountPence);
  }
  // A suspense item's money waits in the suspense fund against the reference it came with.
  const [item] = await tx
    .select({ receivedReference: suspenseItems.receivedReference })
    .from(suspenseItems)
    .where(eq(suspenseItems.id, refund.sourceId));
  const holding = {
    fundCode: await suspenseFundCode(tx),
    reference: item === undefined ? null : suspenseLedgerReference(item.receivedReference),
    vatCode: null,
    vatRateBasisPoints: 0,
    grossPence: refund.amountPence,
    vatPence: 0,
  };
  return [{ holding, grossPence: refund.amountPence, netPence: refund.amountPence, vatPence: 0 }];
}

async function lowerSuspenseRemainder(tx: Executor, refund: RefundRow, journalId: string) {
  await tx
    .update(suspenseItems)
    .set({
      remainingPence: sql`${suspenseItems.remainingPence} - ${refund.amountPence}`,
      state: sql`case when ${suspenseItems.remainingPence} = ${refund.amountPence} then 'refunded' else ${suspenseItems.state} end`,
      updatedAt: sql`now()`,
    })
    .where(eq(suspenseItems.id, refund.sourceId));
  await recordSuspenseEvent(tx, {
    suspenseId: refund.sourceId,
    dedupeKey: `${refund.sourceId}:${refund.id}`,
    event: 'refunded',
    actor: refund.requestedBy,
    reason: refund.reason,
    detail: { refundId: refund.id, amountPence: refund.amountPence, journalId },
  });
}

/**
 * Posts a refund once: the allocation reversed through refunds payable and paid out of PSP
 * clearing (card) or the bank (BACS, with its Standard 18 record), the suspense item lowered,
 * all in one transaction. A card refund (the PSP has confirmed it) is marked succeeded and its
 * notification queued; a bank refund is marked awaiting its BACS file, since no money has left
 * the bank until a payment file takes its record.
 */
export async function postRefund(
  db: Executor,
  input: { refundId: string; postingDate: string; originator: Originator },
): Promise<{ journalId: string; outboxId: string | null }> {
  return db.transaction(async (tx) => {
    const first = await getRefundRow(tx, input.refundId);
    if (first === null) throw new Error(`no refund ${input.refundId}`);
    await lockFor(tx, `source:${first.sourceType}:${first.sourceId}`);
    const refund = (await getRefundRow(tx, input.refundId))!;
    if (refund.journalId !== null)
      return { journalId: refund.journalId, outboxId: await outboxIdOf(tx, refund.id) };
    const paidFrom = refund.method === 'card' ? controlAccounts.pspClearing : controlAccounts.bank;
    const taken = await takenFor(tx, refund);
    const { journalId } = await postJournal(tx, {
      idempotencyKey: `refund:${refund.id}`,
      kind: 'refund',
      description: `Refund ${refund.id} (${refund.method}): ${refund.reason}`,
      postingDate: input.postingDate,
      causedBy: `workflow:${refund.id}`,
      sourceType: refund.sourceType,
      sourceId: refund.sourceId,
      lines: refundLines(taken, paidFrom),
    });
    if (refund.method === 'bacs') await insertBankPayment(tx, refund, input.originator);
    if (refund.sourceType === 'suspense') await lowerSuspenseRemainder(tx, refund, journalId);
    const state = postedRefundState(refund.method);
    await updateRefund(tx, refund.id, { state, journalId, pspSubmitting: false });
    const payload = {
      refundId: refund.id,
      sourceType: refund.sourceType,
      sourceId: refund.sourceId,
      method: refund.method,
      amountPence: refund.amountPence,
      journalId,
      postingDate: input.postingDate,
    };
    // The payer is told only once the money has left: for a bank refund, not yet.
    const outboxId =
      state === 'succeeded'
        ? await queueOutboxMessage(tx, {
            topic: 'refund.succeeded',
            dedupeKey: refundDedupeKey(refund.id),
            payload,
            // After the payment's own receipt, in the order the money moved.
            orderingKey: refund.sourceId,
            fundCodes: [...new Set(taken.map((part) => part.holding.fundCode))],
          })
        : null;
    await recordAudit(tx, {
      actor: `workflow:${refund.id}`,
      action: `refund.${state}`,
      entityType: 'refund',
      entityId: refund.id,
      after: payload,
    });
    return { journalId, outboxId };
  });
}

const refundDedupeKey = (refundId: string) => `refund:${refundId}:succeeded`;

async function outboxIdOf(tx: Executor, refundId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(eq(outbox.dedupeKey, refundDedupeKey(refundId)));
  return row?.id ?? null;
}

async function insertBankPayment(tx: Executor, refund: RefundRow, originator: Originator) {
  const record = bacsCreditRecord({
    destination: {
      sortCode: refund.bankSortCode ?? '',
      accountNumber: refund.bankAccountNumber ?? '',
      accountName: refund.bankAccountName ?? '',
    },
    originator,
    amountPence: refund.amountPence,
    reference: `REFUND ${refund.id.slice(4, 15)}`,
  });
  await tx
    .insert(bankPayments)
    .values({
      id: newId('bankPayment'),
      refundId: refund.id,
      amountPence: refund.amountPence,
      record,
    })
    .onConflictDoNothing({ target: [bankPayments.councilId, bankPayments.refundId] });
}
