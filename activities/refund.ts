import type { Database } from '../db/client';
import { getPaymentRecord } from '../db/payments';
import { getRefundRow, type RefundRow, transitionRefund, updateRefund } from '../db/refunds';
import {
  claimSubmissionSlot,
  type Originator,
  postRefund,
  releaseSubmissionSlot,
} from '../db/refundsPosting';
import type { CardRefundProgress, RefundState } from '../domain/refund';
import { workSettingsFrom } from '../platform/config';
import { isPspError, type PaymentServiceProvider, type PspPayment } from '../psp';

/**
 * The side effects of a refund. Submitting a card refund is the dangerous one: a lost answer
 * must never become a second refund. So, per payment, one refund at a time may be submitting
 * (a database slot); before each POST we record what the PSP had already had submitted; and
 * on any doubt (a retry, a 412) we re-read the payment: if its refund summary has grown by our
 * amount since, ours went through and is not sent again.
 */

export type SubmitOutcome =
  | { outcome: 'submitted'; pspRefundId: string | null }
  | { outcome: 'failed'; reason: string };

const submitTriesMax = 3;

export function createRefundActivities(deps: {
  db: Database;
  psp: PaymentServiceProvider;
  originator?: Originator;
}) {
  const { db, psp } = deps;
  const settings = deps.originator === undefined ? workSettingsFrom() : undefined;
  const originator: Originator = deps.originator ?? {
    sortCode: settings!.BACS_ORIGINATOR_SORT_CODE,
    accountNumber: settings!.BACS_ORIGINATOR_ACCOUNT_NUMBER,
    name: settings!.BACS_ORIGINATOR_NAME,
  };

  async function cardContext(refundId: string) {
    const refund = await getRefundRow(db, refundId);
    if (refund === null) throw new Error(`no refund ${refundId}`);
    const record = await getPaymentRecord(db, refund.sourceId);
    const pspPaymentId = record?.payment.pspPaymentId;
    const fundCode = record?.lines[0]?.fundCode;
    if (!pspPaymentId || !fundCode) throw new Error(`refund ${refundId}: payment has no PSP id`);
    return { refund, pspPaymentId, scope: { fundCode } };
  }

  /** True when the PSP's refund summary can only be explained by our refund having been made. */
  const alreadyMade = (refund: RefundRow, payment: PspPayment) =>
    refund.pspSubmittedBeforePence !== null &&
    payment.refundSummary.amountSubmittedPence >=
      refund.pspSubmittedBeforePence + refund.amountPence;

  const failed = async (refundId: string, reason: string): Promise<SubmitOutcome> => {
    await releaseSubmissionSlot(db, refundId);
    return { outcome: 'failed', reason };
  };

  return {
    async moveRefund(input: {
      refundId: string;
      from: RefundState[];
      state: RefundState;
      failureReason: string | null;
    }): Promise<void> {
      await transitionRefund(
        db,
        input.refundId,
        input.from,
        { state: input.state, failureReason: input.failureReason, pspSubmitting: false },
        { actor: `workflow:${input.refundId}`, action: `refund.${input.state}` },
      );
    },

    /** Records the second person's decision; the workflow's validator already checked four-eyes. */
    async decideRefund(input: {
      refundId: string;
      approved: boolean;
      actor: string;
      reason: string | null;
    }): Promise<void> {
      await transitionRefund(
        db,
        input.refundId,
        ['requested', 'awaiting_approval'],
        {
          state: input.approved ? 'submitting' : 'rejected',
          decidedBy: input.actor,
          decisionReason: input.reason,
        },
        {
          actor: input.actor,
          reason: input.reason ?? undefined,
          action: input.approved ? 'refund.approve' : 'refund.reject',
        },
      );
    },

    async submitCardRefund(input: { refundId: string }): Promise<SubmitOutcome> {
      const { refund, pspPaymentId, scope } = await cardContext(input.refundId);
      if (refund.pspRefundId !== null || refund.pspStatus === 'detected')
        return { outcome: 'submitted', pspRefundId: refund.pspRefundId };
      if (!(await claimSubmissionSlot(db, refund.id))) {
        // Thrown, so Temporal retries once the other refund of this payment has been submitted.
        throw new Error(`another refund of ${refund.sourceId} is being submitted`);
      }
      for (let attempt = 0; attempt < submitTriesMax; attempt++) {
        const payment = await psp.getPayment(pspPaymentId, scope);
        const summary = payment.refundSummary;
        if (alreadyMade(refund, payment)) {
          await updateRefund(db, refund.id, { pspStatus: 'detected', pspSubmitting: false });
          return { outcome: 'submitted', pspRefundId: null };
        }
        if (summary.status !== 'available' || summary.amountAvailablePence < refund.amountPence) {
          return failed(
            refund.id,
            `The PSP can refund ${summary.amountAvailablePence} pence of this payment (${summary.status})`,
          );
        }
        // Recorded before the POST: if its answer is lost, this is how we recognise our refund.
        refund.pspSubmittedBeforePence = summary.amountSubmittedPence;
        await updateRefund(db, refund.id, {
          pspSubmittedBeforePence: summary.amountSubmittedPence,
        });
        try {
          const made = await psp.refundPayment(
            {
              pspPaymentId,
              amountPence: refund.amountPence,
              refundAmountAvailablePence: summary.amountAvailablePence,
            },
            scope,
          );
          await updateRefund(db, refund.id, {
            pspRefundId: made.pspRefundId,
            pspStatus: made.status,
            pspSubmitting: false,
          });
          return { outcome: 'submitted', pspRefundId: made.pspRefundId };
        } catch (error) {
          // A stale amount available: someone's refund (perhaps ours) got in; read and decide again.
          if (isPspError(error) && error.kind === 'refund_amount_mismatch') continue;
          if (isPspError(error) && !error.retryable)
            return failed(refund.id, `${error.pspCode ?? error.kind}: ${error.message}`);
          throw error;
        }
      }
      throw new Error(`refund_amount_available of ${pspPaymentId} kept changing`);
    },

    async readCardRefund(input: {
      refundId: string;
    }): Promise<{ status: CardRefundProgress; reason: string }> {
      const { refund, pspPaymentId, scope } = await cardContext(input.refundId);
      if (refund.pspRefundId === null) {
        // Found by the refund summary, which counts refunds submitted or succeeded, not errors.
        const payment = await psp.getPayment(pspPaymentId, scope);
        return alreadyMade(refund, payment)
          ? { status: 'success', reason: '' }
          : { status: 'error', reason: 'The PSP no longer counts this refund' };
      }
      const made = await psp.getRefund(pspPaymentId, refund.pspRefundId, scope);
      await updateRefund(db, refund.id, { pspStatus: made.status });
      return {
        status: made.status,
        reason: made.status === 'error' ? 'The PSP refund ended in error' : '',
      };
    },

    async postRefund(input: { refundId: string; postingDate: string }) {
      return postRefund(db, { ...input, originator });
    },
  };
}
