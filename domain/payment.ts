import { incomeJournalLines } from './income';
import type { LedgerLine } from './ledger';
import { controlAccounts } from './ledgerAccounts';

/**
 * A card payment's lifecycle, in our words. The PSP's own states (created, started, submitted,
 * success, failed, cancelled, error) map onto these; `allocated` means the money is in the
 * ledger against its funds.
 */
export const basketLinesMax = 10;

export type PaymentState =
  | 'validating'
  | 'rejected'
  | 'creating'
  | 'awaiting_payment'
  | 'posting'
  | 'allocated'
  | 'failed'
  | 'cancelled'
  | 'expired'
  | 'error';

export const finalPaymentStates: ReadonlySet<PaymentState> = new Set([
  'rejected',
  'allocated',
  'failed',
  'cancelled',
  'expired',
  'error',
]);

export type PaymentLine = { fundCode: string; reference: string; amountPence: number };

/** A basket line after the money core accepted it: its reference normalised, its VAT known. */
export type AllocatedLine = PaymentLine & { vatCode: string; vatRateBasisPoints: number };

export type PspOutcome = {
  status: 'success' | 'failed' | 'cancelled' | 'error';
  failureCode?: string;
};

/**
 * GOV.UK Pay reports expiry (P0020) and the payer cancelling on its page (P0030) as failures;
 * we keep both apart from a decline. A cancel through the API (P0040) is `cancelled`.
 */
export function paymentStateForOutcome(outcome: PspOutcome): PaymentState {
  switch (outcome.status) {
    case 'success':
      return 'posting';
    case 'cancelled':
      return 'cancelled';
    case 'error':
      return 'error';
    case 'failed':
      if (outcome.failureCode === 'P0020') return 'expired';
      return outcome.failureCode === 'P0030' ? 'cancelled' : 'failed';
  }
}

export function basketTotalPence(lines: readonly PaymentLine[]): number {
  return lines.reduce((sum, line) => sum + line.amountPence, 0);
}

/**
 * The journal for a successful card payment: PSP clearing takes the gross, each fund its net,
 * VAT output the VAT, and a known PSP fee moves from clearing to fees (domain/income.ts).
 */
export function cardPaymentLines(lines: readonly AllocatedLine[], feePence = 0): LedgerLine[] {
  return incomeJournalLines(lines, {
    debitAccountCode: controlAccounts.pspClearing,
    vatAccountCode: controlAccounts.vatOutput,
    fee: { feePence, feeAccountCode: controlAccounts.pspFees },
  });
}
