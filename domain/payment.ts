import { assertBalanced, type LedgerLine } from './ledger';
import { controlAccounts, fundAccountCode } from './ledgerAccounts';
import { extractVat } from './vat';

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
 * The journal for a successful card payment: PSP clearing is debited with the gross; each fund
 * is credited with its net and the VAT goes to VAT output (one line per VAT code); a known PSP
 * fee moves from clearing to fees. Parts are asserted to sum to the whole before anyone posts.
 */
export function cardPaymentLines(lines: readonly AllocatedLine[], feePence = 0): LedgerLine[] {
  const grossPence = basketTotalPence(lines);
  const result: LedgerLine[] = [
    { accountCode: controlAccounts.pspClearing, debitPence: grossPence, creditPence: 0 },
  ];
  const vatByCode = new Map<string, number>();
  for (const line of lines) {
    const { netPence, vatPence } = extractVat(line.amountPence, line.vatRateBasisPoints);
    if (netPence > 0) {
      result.push({
        accountCode: fundAccountCode(line.fundCode),
        debitPence: 0,
        creditPence: netPence,
        accountReference: line.reference,
        vatCode: line.vatCode,
        vatPence,
      });
    }
    if (vatPence > 0) vatByCode.set(line.vatCode, (vatByCode.get(line.vatCode) ?? 0) + vatPence);
  }
  for (const [vatCode, vatPence] of vatByCode) {
    result.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: 0,
      creditPence: vatPence,
      vatCode,
    });
  }
  if (feePence > 0) {
    result.push({
      accountCode: controlAccounts.pspFees,
      debitPence: feePence,
      creditPence: 0,
      narrative: 'PSP fee',
    });
    result.push({
      accountCode: controlAccounts.pspClearing,
      debitPence: 0,
      creditPence: feePence,
      narrative: 'PSP fee',
    });
  }
  assertBalanced(result);
  return result;
}
