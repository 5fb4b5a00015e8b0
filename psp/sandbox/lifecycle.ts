import {
  addDays,
  type FailureReason,
  failures,
  isFinished,
  isoDay,
  type PayerOutcome,
  type PaymentEventType,
  refundSummary,
  type SandboxPayment,
  type SandboxRefund,
} from './model';
import { SandboxProblem } from './problem';

/**
 * Every state change of a sandbox payment, each announcing itself through `emit` (which sends
 * the webhooks). created → started (page visited) → submitted → success | failed | error, or
 * cancelled by the service; unfinished payments expire. Time-based changes (expiry, refunds
 * succeeding, settlement) happen in `advance`, called lazily on every read and by a timer.
 */
export interface LifecycleDeps {
  now(): Date;
  expiryMs: number;
  settlementDelayDays: number;
  refundSuccessDelayMs: number;
  feeForAmountPence(amountPence: number): number;
  emit(eventType: PaymentEventType, payment: SandboxPayment): void;
  newId(): string;
}

const failureEvents: Record<FailureReason, PaymentEventType> = {
  declined: 'card_payment_failed',
  expired: 'card_payment_expired',
  cancelledByPayer: 'card_payment_cancelled',
  cancelledByService: 'card_payment_cancelled',
  error: 'card_payment_failed',
};

function fail(payment: SandboxPayment, reason: FailureReason, deps: LifecycleDeps): void {
  const failure = failures[reason];
  payment.status = failure.status;
  payment.failure = failure;
  deps.emit(failureEvents[reason], payment);
}

export function visit(payment: SandboxPayment, deps: LifecycleDeps): void {
  if (payment.status !== 'created') return;
  payment.status = 'started';
  deps.emit('card_payment_started', payment);
}

function succeed(payment: SandboxPayment, deps: LifecycleDeps, feePence?: number): void {
  const now = deps.now();
  payment.cardEntered = true;
  // The sandbox authorises and captures in one step, so `submitted` is never observed here.
  payment.status = 'success';
  payment.capturedAt = now;
  payment.settledDate = addDays(isoDay(now), deps.settlementDelayDays);
  payment.feePence = feePence ?? deps.feeForAmountPence(payment.amountPence);
  deps.emit('card_payment_succeeded', payment);
  deps.emit('card_payment_captured', payment);
}

/** The payer's (or a test's) action on the hosted page. */
export function complete(
  payment: SandboxPayment,
  outcome: PayerOutcome,
  deps: LifecycleDeps,
  feePence?: number,
): void {
  if (isFinished(payment)) {
    throw new SandboxProblem(409, 'SANDBOX_FINISHED', `payment is already ${payment.status}`);
  }
  visit(payment, deps);
  if (outcome === 'success') {
    succeed(payment, deps, feePence);
  } else if (outcome === 'cancelled') {
    fail(payment, 'cancelledByPayer', deps);
  } else {
    payment.cardEntered = true;
    fail(payment, outcome === 'declined' ? 'declined' : 'error', deps);
  }
}

/** POST .../cancel. A captured payment cannot be cancelled (400); other finished ones conflict (409). */
export function cancelByService(payment: SandboxPayment, deps: LifecycleDeps): void {
  if (payment.status === 'success') {
    throw new SandboxProblem(400, 'P0501', 'Cancellation of payment failed');
  }
  if (isFinished(payment)) {
    throw new SandboxProblem(409, 'P0502', 'Cancellation of payment failed');
  }
  fail(payment, 'cancelledByService', deps);
}

/** POST .../refunds, with the refund_amount_available guard against double refunds. */
export function submitRefund(
  payment: SandboxPayment,
  amountPence: number,
  refundAmountAvailablePence: number | undefined,
  deps: LifecycleDeps,
): SandboxRefund {
  const summary = refundSummary(payment);
  if (summary.status !== 'available') {
    throw new SandboxProblem(400, 'P0603', 'The payment is not available for refund');
  }
  if (
    refundAmountAvailablePence !== undefined &&
    refundAmountAvailablePence !== summary.amountAvailablePence
  ) {
    throw new SandboxProblem(412, 'P0604', 'Refund amount available mismatch');
  }
  if (amountPence > summary.amountAvailablePence) {
    throw new SandboxProblem(400, 'P0603', 'The refund amount exceeds the amount available');
  }
  const refund: SandboxRefund = {
    refundId: deps.newId(),
    amountPence,
    status: 'submitted',
    createdAt: deps.now(),
  };
  payment.refunds.push(refund);
  return refund;
}

/** Applies whatever the clock says has happened since the payment was last looked at. */
export function advance(payment: SandboxPayment, deps: LifecycleDeps): void {
  const now = deps.now();
  if (!isFinished(payment) && now.getTime() - payment.createdAt.getTime() >= deps.expiryMs) {
    fail(payment, 'expired', deps);
  }
  for (const refund of payment.refunds) {
    if (refund.status !== 'submitted') continue;
    if (now.getTime() - refund.createdAt.getTime() < deps.refundSuccessDelayMs) continue;
    refund.status = 'success';
    refund.settledDate = addDays(isoDay(now), deps.settlementDelayDays);
    deps.emit('card_payment_refunded', payment);
  }
  const today = isoDay(now);
  if (
    payment.settledDate !== undefined &&
    !payment.settledAnnounced &&
    payment.settledDate <= today
  ) {
    payment.settledAnnounced = true;
    deps.emit('card_payment_settled', payment);
  }
}
