/**
 * The sandbox's own record of a payment. It is internal: only wire.ts turns it into GOV.UK Pay's
 * JSON. Failure codes and messages are GOV.UK Pay's, from its API reference.
 */
export type SandboxStatus =
  | 'created'
  | 'started'
  | 'submitted'
  | 'success'
  | 'failed'
  | 'cancelled'
  | 'error';

export const failures = {
  declined: { status: 'failed', code: 'P0010', message: 'Payment method rejected' },
  expired: { status: 'failed', code: 'P0020', message: 'Payment expired' },
  // GOV.UK Pay reports a payer's cancel as `failed`; only the service's own cancel is `cancelled`.
  cancelledByPayer: {
    status: 'failed',
    code: 'P0030',
    message: 'Payment was cancelled by the user',
  },
  cancelledByService: {
    status: 'cancelled',
    code: 'P0040',
    message: 'Payment was cancelled by the service',
  },
  error: { status: 'error', code: 'P0050', message: 'Payment provider returned an error' },
} as const;

export type FailureReason = keyof typeof failures;
export type Failure = (typeof failures)[FailureReason];

/** What a payer (or a test) can do on the hosted page. */
export type PayerOutcome = 'success' | 'declined' | 'cancelled' | 'error';

/** Event types as GOV.UK Pay names them in webhook messages. */
export type PaymentEventType =
  | 'card_payment_started'
  | 'card_payment_succeeded'
  | 'card_payment_captured'
  | 'card_payment_settled'
  | 'card_payment_failed'
  | 'card_payment_expired'
  | 'card_payment_cancelled'
  | 'card_payment_refunded';

export interface SandboxRefund {
  refundId: string;
  amountPence: number;
  status: 'submitted' | 'success' | 'error';
  createdAt: Date;
  /** YYYY-MM-DD, fixed when the refund succeeds; shown once the clock reaches it. */
  settledDate?: string;
}

/** The card the payer "used". Only what GOV.UK Pay shows: never a full number. */
export const sandboxCard = {
  card_brand: 'Visa',
  card_type: 'debit',
  cardholder_name: 'Sandbox Payer',
  expiry_date: '12/30',
  first_digits_card_number: '424242',
  last_digits_card_number: '4242',
} as const;

export interface SandboxPayment {
  paymentId: string;
  /** The API key that created it: another key cannot see it, as with separate services. */
  apiKey: string;
  amountPence: number;
  reference: string;
  description: string;
  returnUrl: string;
  language: 'en' | 'cy';
  metadata?: Record<string, string | number | boolean>;
  email?: string;
  createdAt: Date;
  status: SandboxStatus;
  failure?: Failure;
  cardEntered: boolean;
  capturedAt?: Date;
  /** YYYY-MM-DD, fixed at capture; shown once the clock reaches it. */
  settledDate?: string;
  settledAnnounced: boolean;
  feePence?: number;
  refunds: SandboxRefund[];
  /** The create request as received, to tell a repeated Idempotency-Key from a reused one. */
  requestFingerprint: string;
}

export function isFinished(payment: SandboxPayment): boolean {
  return ['success', 'failed', 'cancelled', 'error'].includes(payment.status);
}

export function refundedPence(payment: SandboxPayment): number {
  return payment.refunds
    .filter((r) => r.status !== 'error')
    .reduce((total, r) => total + r.amountPence, 0);
}

/** GOV.UK Pay's refund_summary: pending until paid, then available, full or unavailable. */
export function refundSummary(payment: SandboxPayment): {
  status: 'pending' | 'available' | 'full' | 'unavailable';
  amountAvailablePence: number;
  amountSubmittedPence: number;
} {
  const submittedPence = refundedPence(payment);
  const remainingPence = payment.amountPence - submittedPence;
  if (!isFinished(payment)) {
    return { status: 'pending', amountAvailablePence: remainingPence, amountSubmittedPence: 0 };
  }
  if (payment.status !== 'success') {
    return { status: 'unavailable', amountAvailablePence: 0, amountSubmittedPence: submittedPence };
  }
  return {
    status: remainingPence > 0 ? 'available' : 'full',
    amountAvailablePence: remainingPence,
    amountSubmittedPence: submittedPence,
  };
}

/** UTC calendar date, YYYY-MM-DD. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00.000Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return isoDay(at);
}
