import type { z } from 'zod';
import { requireCouncil } from '../../db/councils';
import { sourceHoldings } from '../../db/journals';
import { getPaymentRecord } from '../../db/payments';
import {
  createRefundRecord,
  fundRefundThresholds,
  type NewRefund,
  transitionRefund,
} from '../../db/refunds';
import { suspenseFundCode } from '../../db/suspense';
import { checkBankAccount, normaliseSortCode } from '../../domain/bacs';
import { newId } from '../../domain/ids';
import { approvalThresholdFor, refundNeedsApproval } from '../../domain/refund';
import { poundsOf } from '../../domain/suspense';
import { workSettingsFrom } from '../../platform/config';
import { type RefundWorkflowInput, refundWorkflow, refundWorkflowId } from '../../workflows/refund';
import { imsKindKey } from '../../workflows/searchAttributes';
import { refundUpdate } from '../../workflows/suspense';
import type { Actor, auditMetaOf } from '../actor';
import type { ApiContext } from '../context';
import { ProblemError } from '../problem';
import type { createRefundBody } from '../schemas/refunds';
import { ageingFromSettings, runSuspenseUpdate } from './suspenseUpdates';

type Body = z.infer<typeof createRefundBody>;

/**
 * Recording a refund request and starting its workflow: card refunds directly, bank refunds
 * through the suspense item's workflow (which reserves the money and starts the refund as its
 * child). Either way the row is written first, so the request is on record whatever follows.
 */
export function refundRequester(ctx: ApiContext) {
  const settings = workSettingsFrom();
  const rules = {
    approvalThresholdPence: settings.REFUND_APPROVAL_THRESHOLD_PENCE,
    alwaysApproveFundCodes: settings.REFUND_ALWAYS_APPROVE_FUNDS,
  };
  const poll = { initialMs: settings.REFUND_POLL_INITIAL_MS, maxMs: settings.REFUND_POLL_MAX_MS };
  const ageing = ageingFromSettings();

  /** Four-eyes above the strictest threshold of the funds the money comes from. */
  async function approvalRequired(amountPence: number, fundCodes: readonly string[]) {
    const thresholds = await fundRefundThresholds(ctx.db, fundCodes);
    const approvalThresholdPence = approvalThresholdFor(
      fundCodes,
      thresholds,
      rules.approvalThresholdPence,
    );
    return refundNeedsApproval(amountPence, fundCodes, { ...rules, approvalThresholdPence });
  }

  const refuse = (field: string, message: string) =>
    new ProblemError('unprocessable', message, [{ field, message }]);

  async function cardRefund(
    body: Body,
    actor: Actor,
    key: string | null,
    meta: ReturnType<typeof auditMetaOf>,
  ) {
    const paymentId = body.paymentId!;
    const record = await getPaymentRecord(ctx.db, paymentId);
    if (record === null) throw refuse('body.paymentId', `No payment ${paymentId}`);
    if (record.payment.state !== 'allocated')
      throw refuse('body.paymentId', `A ${record.payment.state} payment took no money to refund`);
    const holdings = await sourceHoldings(ctx.db, 'payment', paymentId);
    const fundCodes = [...new Set(holdings.filter((h) => h.grossPence > 0).map((h) => h.fundCode))];
    const refund: NewRefund = {
      id: newId('refund'),
      idempotencyKey: key,
      sourceType: 'payment',
      sourceId: paymentId,
      method: 'card',
      amountPence: body.amountPence,
      reason: body.reason,
      state: 'requested',
      requestedBy: actor.id,
      fundCodes,
      approvalRequired: await approvalRequired(body.amountPence, fundCodes),
    };
    const created = await createRefundRecord(ctx.db, refund, record.payment.amountPence, meta);
    if (created.outcome === 'too_much') {
      throw refuse(
        'body.amountPence',
        `Only ${poundsOf(created.refundablePence)} of this payment can still be refunded (refunds in flight count)`,
      );
    }
    if (created.outcome === 'key_reused')
      throw refuse(
        'headers.idempotency-key',
        `This Idempotency-Key was used for refund ${created.refund.id}`,
      );
    if (created.outcome === 'created') {
      const input: RefundWorkflowInput = {
        refundId: refund.id,
        method: 'card',
        sourceType: 'payment',
        sourceId: paymentId,
        amountPence: refund.amountPence,
        requestedBy: actor.id,
        approvalRequired: refund.approvalRequired,
        fundCodes,
        poll,
      };
      await ctx.temporal.workflow.start(refundWorkflow, {
        workflowId: refundWorkflowId(requireCouncil(), refund.id),
        taskQueue: ctx.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: imsKindKey, value: 'refund' }],
      });
    }
    return created;
  }

  /** Bank details are checked (Vocalink modulus) before anything is recorded. */
  async function bankRefund(
    body: Body,
    actor: Actor,
    key: string | null,
    meta: ReturnType<typeof auditMetaOf>,
  ) {
    const account = body.bankAccount!;
    const problem = checkBankAccount(account);
    if (problem !== null) throw refuse(`body.bankAccount.${problem.field}`, problem.message);
    const fundCodes = [await suspenseFundCode(ctx.db)];
    const refund: NewRefund = {
      id: newId('refund'),
      idempotencyKey: key,
      sourceType: 'suspense',
      sourceId: body.suspenseId!,
      method: 'bacs',
      amountPence: body.amountPence,
      reason: body.reason,
      state: 'requested',
      requestedBy: actor.id,
      fundCodes,
      approvalRequired: await approvalRequired(body.amountPence, fundCodes),
      bankSortCode: normaliseSortCode(account.sortCode),
      bankAccountNumber: account.accountNumber,
      bankAccountName: account.accountName,
    };
    // The item's workflow is the authority on what is available; it refuses an over-refund.
    const created = await createRefundRecord(ctx.db, refund, Number.MAX_SAFE_INTEGER, meta);
    if (created.outcome !== 'created') {
      if (created.outcome === 'replayed') return created;
      throw refuse('headers.idempotency-key', 'This Idempotency-Key was used for another refund');
    }
    const request = {
      actor: actor.id,
      refundId: refund.id,
      amountPence: refund.amountPence,
      approvalRequired: refund.approvalRequired,
      poll,
    };
    try {
      await runSuspenseUpdate(ctx, ageing, refund.sourceId, refundUpdate, request, refund.id);
    } catch (error) {
      // Refused before its workflow ran: the row stays, as a record of the refusal.
      await transitionRefund(
        ctx.db,
        refund.id,
        ['requested'],
        { state: 'rejected', failureReason: (error as Error).message },
        { ...meta, action: 'refund.refused' },
      );
      throw error;
    }
    return created;
  }

  return { cardRefund, bankRefund };
}
