import {
  type ActivityOptions,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { businessDateOf } from '../domain/businessDate';
import { councilWorkflowId } from '../domain/council';
import {
  type AllocatedLine,
  finalPaymentStates,
  type PaymentLine,
  type PaymentState,
  paymentStateForOutcome,
} from '../domain/payment';
import { outboxRelayPatch, startOutboxDelivery } from './outbox';
import { imsAmountPenceKey, imsFundCodesKey, imsKindKey, imsStateKey } from './searchAttributes';

/**
 * One card payment from basket to ledger. The PSP is the truth about whether money was taken:
 * a webhook only prompts a re-read, polling (with backoff) covers lost webhooks, and our own
 * deadline covers a PSP that never finishes. The ledger is posted once, by idempotency key.
 */
export type PaymentTiming = {
  /** When the PSP expires an unfinished payment (GOV.UK Pay: 90 minutes). */
  expiryMs: number;
  /** How long after the PSP's expiry we stop waiting and cancel it ourselves. */
  expiryGraceMs: number;
  pollInitialMs: number;
  pollMaxMs: number;
};

export type PaymentWorkflowInput = {
  paymentId: string;
  lines: PaymentLine[];
  amountPence: number;
  description: string;
  returnUrl: string;
  methodOfPaymentCode: string;
  /** The starter's permissions when it asked (e.g. to take money for an account on stop). */
  permissions: string[];
  timing: PaymentTiming;
};

export type PaymentRejection = { field: string; message: string };

export type PaymentStatus = {
  paymentId: string;
  state: PaymentState;
  pspPaymentId: string | null;
  nextUrl: string | null;
  journalId: string | null;
  failureCode: string | null;
  rejections: PaymentRejection[];
};

export const pspEventSignal = defineSignal<[{ eventType?: string }]>('pspEvent');
export const paymentStatusQuery = defineQuery<PaymentStatus>('status');
/** Answers once the payer can be sent to the PSP (or the payment was refused). */
export const checkoutUpdate = defineUpdate<PaymentStatus>('checkout');

/** The receipt's relay, right after the activity that queued it (workflows/outbox.ts). */
async function relayReceipt(outboxId: string | null | undefined): Promise<void> {
  if (!patched(outboxRelayPatch) || outboxId === null || outboxId === undefined) return;
  await startOutboxDelivery(outboxId);
}

export function paymentWorkflowId(councilId: string, paymentId: string): string {
  return councilWorkflowId(councilId, paymentId);
}

// Mirrors activities/payment.ts; the workflow may not import the activity module itself.
export const invalidBasketFailureType = 'InvalidBasket';

// PSP calls retry for as long as it takes (a PSP outage is not a reason to lose a payment);
// the adapter already retried 429 and 5xx quickly, so these retries are the slow, patient ones.
const pspActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const databaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [invalidBasketFailureType],
  },
};

const { createPspPayment, readPspPayment, cancelPspPayment } =
  proxyActivities<Activities>(pspActivityOptions);
const { validatePaymentBasket, allocatePayment, completePayment } =
  proxyActivities<Activities>(databaseActivityOptions);

export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentStatus> {
  const status: PaymentStatus = {
    paymentId: input.paymentId,
    state: 'validating',
    pspPaymentId: null,
    nextUrl: null,
    journalId: null,
    failureCode: null,
    rejections: [],
  };
  let prompted = false;
  setHandler(pspEventSignal, () => {
    prompted = true;
  });
  setHandler(paymentStatusQuery, () => status);
  setHandler(checkoutUpdate, async () => {
    await condition(() => status.nextUrl !== null || finalPaymentStates.has(status.state));
    return status;
  });
  const setState = (state: PaymentState) => {
    status.state = state;
    upsertSearchAttributes([{ key: imsStateKey, value: state }]);
  };
  upsertSearchAttributes([
    { key: imsKindKey, value: 'payment' },
    { key: imsFundCodesKey, value: [...new Set(input.lines.map((line) => line.fundCode))] },
    { key: imsAmountPenceKey, value: input.amountPence },
  ]);
  setState('validating');

  let allocated: AllocatedLine[] | null = null;
  try {
    allocated = await validateOrReject(input, status);
    if (allocated === null) {
      setState('rejected');
      await completePayment({ paymentId: input.paymentId, state: 'rejected' });
      return status;
    }

    setState('creating');
    const created = await createPspPayment({
      paymentId: input.paymentId,
      amountPence: input.amountPence,
      description: input.description,
      returnUrl: input.returnUrl,
      lines: allocated,
    });
    status.pspPaymentId = created.pspPaymentId;
    status.nextUrl = created.nextUrl;
    setState('awaiting_payment');

    const outcome = await awaitOutcome(
      input,
      created.pspPaymentId,
      allocated,
      () => {
        const was = prompted;
        prompted = false;
        return was;
      },
      () => prompted,
    );

    const next = paymentStateForOutcome(outcome);
    status.failureCode = outcome.failureCode ?? null;
    if (next !== 'posting') {
      setState(next);
      await completePayment({
        paymentId: input.paymentId,
        state: next,
        failureCode: outcome.failureCode ?? null,
      });
      return status;
    }
    setState('posting');
    const { journalId, outboxId } = await allocatePayment({
      paymentId: input.paymentId,
      lines: allocated,
      feePence: outcome.feePence ?? 0,
      postingDate: businessDateOf(Date.now()),
    });
    status.journalId = journalId;
    setState('allocated');
    await relayReceipt(outboxId);
    return status;
  } catch (error) {
    // Cancelled by an operator (the operations screen): leave nothing half-done. A payment the
    // payer completed before the cancel reached the PSP is real money and is allocated anyway.
    if (!isCancellation(error)) throw error;
    const lines = allocated;
    const settled = await CancellationScope.nonCancellable(() =>
      settleCancelled(input, status, lines, setState),
    );
    if (settled === 'allocated') return status;
    throw error;
  }
}

/** After a cancel: stop the payment at the PSP, then record the cancel or post what was paid. */
async function settleCancelled(
  input: PaymentWorkflowInput,
  status: PaymentStatus,
  allocated: AllocatedLine[] | null,
  setState: (state: PaymentState) => void,
): Promise<'allocated' | 'cancelled' | 'final'> {
  if (finalPaymentStates.has(status.state)) return 'final';
  if (allocated !== null && status.pspPaymentId !== null) {
    const scope = {
      paymentId: input.paymentId,
      pspPaymentId: status.pspPaymentId,
      fundCode: allocated[0]?.fundCode ?? '',
    };
    // While posting, the PSP has already said the money was taken: nothing to stop there.
    if (status.state !== 'posting') await cancelPspPayment(scope);
    const final = (await readPspPayment(scope)) as Outcome & { finished: boolean };
    if (final.finished && final.status === 'success') {
      setState('posting');
      const { journalId, outboxId } = await allocatePayment({
        paymentId: input.paymentId,
        lines: allocated,
        feePence: final.feePence ?? 0,
        postingDate: businessDateOf(Date.now()),
      });
      status.journalId = journalId;
      setState('allocated');
      await relayReceipt(outboxId);
      return 'allocated';
    }
  }
  setState('cancelled');
  await completePayment({ paymentId: input.paymentId, state: 'cancelled' });
  return 'cancelled';
}

async function validateOrReject(
  input: PaymentWorkflowInput,
  status: PaymentStatus,
): Promise<AllocatedLine[] | null> {
  try {
    return await validatePaymentBasket({
      paymentId: input.paymentId,
      lines: input.lines,
      methodOfPaymentCode: input.methodOfPaymentCode,
      permissions: input.permissions,
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ApplicationFailure && cause.type === invalidBasketFailureType) {
      status.rejections = (cause.details?.[0] as PaymentRejection[] | undefined) ?? [];
      return null;
    }
    throw error;
  }
}

type Outcome = {
  status: 'success' | 'failed' | 'cancelled' | 'error';
  failureCode?: string;
  feePence?: number;
};

/**
 * Waits for whichever comes first: a webhook prompt, the next poll, or our deadline; and always
 * re-reads the payment from the PSP before believing anything.
 */
async function awaitOutcome(
  input: PaymentWorkflowInput,
  pspPaymentId: string,
  lines: AllocatedLine[],
  takePrompt: () => boolean,
  isPrompted: () => boolean,
): Promise<Outcome> {
  const scope = { paymentId: input.paymentId, pspPaymentId, fundCode: lines[0]?.fundCode ?? '' };
  const deadline = Date.now() + input.timing.expiryMs + input.timing.expiryGraceMs;
  let delayMs = input.timing.pollInitialMs;
  for (;;) {
    const waitMs = Math.max(1, Math.min(delayMs, deadline - Date.now()));
    await condition(isPrompted, waitMs);
    takePrompt();
    const snapshot = await readPspPayment(scope);
    if (snapshot.finished) return snapshot as Outcome;
    if (Date.now() >= deadline) {
      // The PSP should have expired it by now; cancel so it cannot succeed after we gave up.
      await cancelPspPayment(scope);
      const final = await readPspPayment(scope);
      // Cancelled by us at our deadline is an expiry, as the payer sees it; anything else that
      // finished meanwhile (a last-second success) stands.
      if (!final.finished || final.status === 'cancelled')
        return { status: 'failed', failureCode: 'P0020' };
      return final as Outcome;
    }
    delayMs = Math.min(delayMs * 2, input.timing.pollMaxMs);
  }
}
