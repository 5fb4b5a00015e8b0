import {
  type ActivityOptions,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { businessDateOf } from '../domain/businessDate';
import { councilWorkflowId } from '../domain/council';
import {
  nextPollMs,
  postedRefundState,
  type RefundMethod,
  type RefundSourceType,
  type RefundState,
} from '../domain/refund';
import { textProblem, type UpdateProblem, updateRefusals } from '../domain/suspense';
import { outboxRelayPatch, startOutboxDelivery } from './outbox';
import { imsAmountPenceKey, imsFundCodesKey, imsKindKey, imsStateKey } from './searchAttributes';

/**
 * One refund from request to money returned. Above the approval threshold (or for chosen
 * funds) it waits, for as long as it takes, for a second person to approve or reject it.
 * Card refunds go through the PSP with the refund_amount_available guard, then the workflow
 * polls until the PSP says success or error; bank refunds become a BACS record and end awaiting
 * the BACS file that will send it. The ledger is posted once, on success only.
 */
export type RefundWorkflowInput = {
  refundId: string;
  method: RefundMethod;
  sourceType: RefundSourceType;
  sourceId: string;
  amountPence: number;
  requestedBy: string;
  approvalRequired: boolean;
  fundCodes: string[];
  poll: { initialMs: number; maxMs: number };
};

export type RefundStatus = {
  refundId: string;
  state: RefundState;
  amountPence: number;
  approvalRequired: boolean;
  decidedBy: string | null;
  failureReason: string | null;
  journalId: string | null;
};

type Decision = { actor: string; reason?: string };
export const approveUpdate = defineUpdate<RefundStatus, [Decision]>('approve');
export const rejectUpdate = defineUpdate<RefundStatus, [Decision]>('reject');
export const refundStatusQuery = defineQuery<RefundStatus>('status');

/** Bank refunds end their workflow awaiting a BACS file, not succeeded (the money is still here). */
export const bacsAwaitsFilePatch = 'bacs-refund-awaits-file';

export function refundWorkflowId(councilId: string, refundId: string): string {
  return councilWorkflowId(councilId, refundId);
}

// The PSP may be down for hours; a refund waits for it rather than failing.
const pspActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const databaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
  },
};
const { submitCardRefund, readCardRefund } = proxyActivities<Activities>(pspActivityOptions);
const { moveRefund, decideRefund, postRefund } =
  proxyActivities<Activities>(databaseActivityOptions);

function refuse(type: string, problem: UpdateProblem): never {
  throw ApplicationFailure.create({
    type,
    message: `${problem.field} ${problem.message}`,
    details: [problem],
    nonRetryable: true,
  });
}

export async function refundWorkflow(input: RefundWorkflowInput): Promise<RefundStatus> {
  const { refundId } = input;
  const status: RefundStatus = {
    refundId,
    state: 'requested',
    amountPence: input.amountPence,
    approvalRequired: input.approvalRequired,
    decidedBy: null,
    failureReason: null,
    journalId: null,
  };
  let decision: 'approved' | 'rejected' | null = null;
  const setState = async (state: RefundState, from: RefundState[], failureReason?: string) => {
    status.state = state;
    if (failureReason !== undefined) status.failureReason = failureReason;
    upsertSearchAttributes([{ key: imsStateKey, value: state }]);
    await moveRefund({ refundId, from, state, failureReason: failureReason ?? null });
  };

  setHandler(refundStatusQuery, () => status);
  const validateDecision = (approving: boolean) => (request: Decision) => {
    if (status.state !== 'awaiting_approval' || decision !== null)
      refuse(updateRefusals.wrongState, {
        field: 'state',
        message: `the refund is ${status.state}`,
      });
    if (request.actor === input.requestedBy)
      refuse(updateRefusals.fourEyes, {
        field: 'actor',
        message: 'must not be the person who requested the refund',
      });
    const problem = approving ? null : textProblem('reason', request.reason, 500);
    if (problem !== null) refuse(updateRefusals.invalid, problem);
  };
  const decide = (approved: boolean) => async (request: Decision) => {
    // Set before awaiting, so a racing approve/reject meets it in its validator.
    decision = approved ? 'approved' : 'rejected';
    status.decidedBy = request.actor;
    await decideRefund({
      refundId,
      approved,
      actor: request.actor,
      reason: request.reason ?? null,
    });
    status.state = approved ? 'submitting' : 'rejected';
    return status;
  };
  setHandler(approveUpdate, decide(true), { validator: validateDecision(true) });
  setHandler(rejectUpdate, decide(false), { validator: validateDecision(false) });

  upsertSearchAttributes([
    { key: imsKindKey, value: 'refund' },
    { key: imsAmountPenceKey, value: input.amountPence },
    ...(input.fundCodes.length === 0 ? [] : [{ key: imsFundCodesKey, value: input.fundCodes }]),
  ]);
  if (input.approvalRequired) {
    await setState('awaiting_approval', ['requested']);
    await condition(() => decision !== null && status.state !== 'awaiting_approval');
    upsertSearchAttributes([{ key: imsStateKey, value: status.state }]);
    if (decision === 'rejected') return finish(status);
  } else {
    await setState('submitting', ['requested']);
  }

  if (input.method === 'card') {
    const submitted = await submitCardRefund({ refundId });
    if (submitted.outcome === 'failed') {
      await setState('failed', ['submitting'], submitted.reason);
      return finish(status);
    }
    await setState('submitted', ['submitting']);
    const outcome = await awaitPspOutcome(refundId, input.poll);
    if (outcome !== null) {
      await setState('failed', ['submitted'], outcome);
      return finish(status);
    }
  }
  const { journalId, outboxId } = await postRefund({
    refundId,
    postingDate: businessDateOf(Date.now()),
  });
  status.journalId = journalId;
  // The refund's notification goes out through the relay, after the payment's own receipt.
  if (patched(outboxRelayPatch) && typeof outboxId === 'string')
    await startOutboxDelivery(outboxId);
  // Histories from before bank refunds waited for their BACS file said succeeded here.
  status.state =
    input.method === 'bacs' && !patched(bacsAwaitsFilePatch)
      ? 'succeeded'
      : postedRefundState(input.method);
  upsertSearchAttributes([{ key: imsStateKey, value: status.state }]);
  return finish(status);
}

async function finish(status: RefundStatus): Promise<RefundStatus> {
  await condition(allHandlersFinished);
  return status;
}

/** Polls the PSP with backoff until the refund is final; null for success, else why it failed. */
async function awaitPspOutcome(
  refundId: string,
  poll: RefundWorkflowInput['poll'],
): Promise<string | null> {
  let delayMs = poll.initialMs;
  for (;;) {
    const progress = await readCardRefund({ refundId });
    if (progress.status === 'success') return null;
    if (progress.status === 'error') return progress.reason;
    await sleep(delayMs);
    delayMs = nextPollMs(delayMs, poll.maxMs);
  }
}
