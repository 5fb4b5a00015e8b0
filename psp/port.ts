/**
 * The one interface the rest of the IMS uses to take card payments. Names are ours (camelCase,
 * units in the name), never a PSP's wire names, so a second PSP adapter can slot in without
 * touching activities. Every method may throw a `PspError` (psp/errors.ts) and nothing else for
 * operating failures.
 */

/**
 * Selects the PSP credentials: GOV.UK Pay keys are per service, and we keep one per fund.
 * `apiKey` is the council's own key when it has one (withCouncilPspKeys); absent, the adapter
 * uses the deployment's keys.
 */
export type PspScope = { fundCode: string; apiKey?: string };

export type PspLanguage = 'en' | 'cy';

/** Fixed at creation; carries our own ids and the ledger code so a payment explains itself. */
export type PspMetadata = Record<string, string | number | boolean>;

/** GOV.UK Pay refuses more keys than this, so we assert it before sending. */
export const pspMetadataKeysMax = 15;

export interface CreatePaymentInput {
  amountPence: number;
  /** Not unique at the PSP: it is what the payer and staff see, not an identity. */
  reference: string;
  description: string;
  /** Where the payer's browser goes when the hosted payment journey ends. */
  returnUrl: string;
  metadata: PspMetadata;
  language?: PspLanguage;
  /** The payer's email, prefilled on the PSP's pages (docs/email.md); never logged. */
  email?: string;
  /**
   * Makes creation safe to repeat: the same key returns the same payment instead of a second one.
   * Activities should pass our own payment id so a Temporal retry cannot create a duplicate.
   * Absent means: the adapter makes one key per call, which still covers its own HTTP retries.
   */
  idempotencyKey?: string;
}

export type PspPaymentStatus =
  | 'created'
  | 'started'
  | 'submitted'
  | 'capturable'
  | 'success'
  | 'failed'
  | 'cancelled'
  | 'error';

export interface PspRefundSummary {
  /** The PSP's own word: pending, available, full, unavailable or error. */
  status: string;
  amountAvailablePence: number;
  amountSubmittedPence: number;
}

export interface PspPayment {
  pspPaymentId: string;
  amountPence: number;
  reference: string;
  description: string;
  status: PspPaymentStatus;
  /** True once the payment can change no further (success, failed, cancelled, error). */
  finished: boolean;
  /** The PSP's code for why a payment failed, e.g. P0010 declined, P0020 expired. */
  failureCode?: string;
  failureMessage?: string;
  createdDate: string;
  /** The hosted payment page; present only while the payer can still act on it. */
  nextUrl?: string;
  metadata: PspMetadata;
  refundSummary: PspRefundSummary;
  /** YYYY-MM-DD the PSP paid the money out to the council's bank; absent until settled. */
  settledDate?: string;
  feePence?: number;
  /** Amount minus fee; can be negative when a fee exceeds a tiny payment. */
  netAmountPence?: number;
  /** What the payer typed (or we prefilled) on the PSP's pages: kept only for their receipt. */
  email?: string;
  cardBrand?: string;
  /** Only the first six and last four digits: a full card number never reaches the council. */
  firstDigitsCardNumber?: string;
  lastDigitsCardNumber?: string;
  /** MM/YY, as GOV.UK Pay reports it. */
  cardExpiryDate?: string;
}

export type PspRefundStatus = 'submitted' | 'success' | 'error';

export interface PspRefund {
  pspRefundId: string;
  amountPence: number;
  status: PspRefundStatus;
  createdDate: string;
  settledDate?: string;
}

export interface RefundPaymentInput {
  pspPaymentId: string;
  amountPence: number;
  /**
   * What we last read as available to refund. The PSP refuses the refund when it no longer
   * matches (refund_amount_mismatch), which is what stops a retried refund being paid twice.
   */
  refundAmountAvailablePence: number;
}

export interface SearchSettledPaymentsInput {
  /** Inclusive, YYYY-MM-DD. */
  fromSettledDate: string;
  /** Inclusive, YYYY-MM-DD. */
  toSettledDate: string;
  /** 1-based; defaults to 1. */
  page?: number;
  /** Defaults to 500, the PSP's maximum. */
  pageSize?: number;
}

export interface PspPaymentPage {
  payments: PspPayment[];
  total: number;
  page: number;
  hasMore: boolean;
}

export interface PaymentServiceProvider {
  createPayment(input: CreatePaymentInput, scope: PspScope): Promise<PspPayment>;
  /** Strongly consistent: the truth about one payment, to read after any webhook. */
  getPayment(pspPaymentId: string, scope: PspScope): Promise<PspPayment>;
  cancelPayment(pspPaymentId: string, scope: PspScope): Promise<void>;
  refundPayment(input: RefundPaymentInput, scope: PspScope): Promise<PspRefund>;
  getRefund(pspPaymentId: string, pspRefundId: string, scope: PspScope): Promise<PspRefund>;
  /** Eventually consistent: for reconciliation, never for deciding one payment's outcome. */
  searchSettledPayments(
    input: SearchSettledPaymentsInput,
    scope: PspScope,
  ): Promise<PspPaymentPage>;
}
