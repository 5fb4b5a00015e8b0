/**
 * Refunds: money going back to whoever paid it, to the card through the PSP or by bank credit
 * (BACS) for cash, cheque and bank-transfer income. Pure rules shared by the RefundWorkflow,
 * its activities and the API.
 */

/**
 * `requested`: recorded by the API, its workflow not yet running. `awaiting_bacs_file`: a bank
 * refund whose ledger is posted and whose BACS record waits for a payment file; the money has
 * not left the bank, so it is not `succeeded` (and not final) until a file has taken it.
 */
export type RefundState =
  | 'requested'
  | 'awaiting_approval'
  | 'rejected'
  | 'submitting'
  | 'submitted'
  | 'awaiting_bacs_file'
  | 'succeeded'
  | 'failed';

export type RefundMethod = 'card' | 'bacs';

/** What is refunded: a card payment, or what remains of a suspense item. */
export type RefundSourceType = 'payment' | 'suspense';

/**
 * Where a refund stands once its ledger is posted: a card refund the PSP has confirmed has
 * succeeded; a bank refund has only a BACS record, waiting for a payment file to send it.
 */
export function postedRefundState(method: RefundMethod): 'succeeded' | 'awaiting_bacs_file' {
  return method === 'card' ? 'succeeded' : 'awaiting_bacs_file';
}

export const finalRefundStates: ReadonlySet<RefundState> = new Set([
  'rejected',
  'succeeded',
  'failed',
]);

/** Refunds that no longer hold back any money: refused or failed before money moved. */
export const releasedRefundStates: ReadonlySet<string> = new Set(['rejected', 'failed']);

export type RefundApprovalRules = {
  /** Refunds above this need a second person's approval. */
  approvalThresholdPence: number;
  /** Funds whose refunds always need approval, whatever the amount. */
  alwaysApproveFundCodes: readonly string[];
};

export const defaultRefundApprovalRules: RefundApprovalRules = {
  approvalThresholdPence: 50_000,
  alwaysApproveFundCodes: [],
};

/**
 * The threshold a refund from these funds is held to: the strictest of the funds' own
 * (configured per fund), a fund without one counting as the council's default.
 */
export function approvalThresholdFor(
  fundCodes: readonly string[],
  fundThresholdsPence: ReadonlyMap<string, number | null>,
  defaultPence: number,
): number {
  if (fundCodes.length === 0) return defaultPence;
  return Math.min(...fundCodes.map((code) => fundThresholdsPence.get(code) ?? defaultPence));
}

export function refundNeedsApproval(
  amountPence: number,
  fundCodes: readonly string[],
  rules: RefundApprovalRules,
): boolean {
  if (amountPence > rules.approvalThresholdPence) return true;
  return fundCodes.some((code) => rules.alwaysApproveFundCodes.includes(code));
}

/**
 * What may still be refunded of a payment: its amount less every refund that has not been
 * rejected or failed. Refunds in flight (awaiting approval, being submitted) count, so two
 * requests made at once cannot together refund more than was paid.
 */
export function refundablePence(
  paidPence: number,
  refunds: readonly { amountPence: number; state: string }[],
): number {
  const heldPence = refunds
    .filter((refund) => !releasedRefundStates.has(refund.state))
    .reduce((sum, refund) => sum + refund.amountPence, 0);
  return Math.max(0, paidPence - heldPence);
}

/** The PSP's word on a refund, as the workflow sees it while it waits. */
export type CardRefundProgress = 'submitted' | 'success' | 'error';

/**
 * The next wait while polling a refund: doubling from the initial wait to the maximum.
 * Pure so the workflow's backoff is the same on replay.
 */
export function nextPollMs(previousMs: number, maxMs: number): number {
  return Math.min(previousMs * 2, maxMs);
}
