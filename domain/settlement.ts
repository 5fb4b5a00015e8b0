/**
 * PSP settlement arithmetic: which payments a payout covers, what it should come to, and how
 * the PSP's view differs from our ledger's. Pure, so the rules are tested without a PSP.
 */

/** YYYY-MM-DD plus whole days, in calendar arithmetic (no time zone can shift it). */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export type SettledPayment = { pspPaymentId: string; amountPence: number; feePence: number };
export type LedgerCardPayment = { pspPaymentId: string; amountPence: number };

export type SettlementDifferenceKind =
  | 'settled_not_in_ledger'
  | 'in_ledger_not_settled'
  | 'amount_differs';

export type SettlementDifference = {
  kind: SettlementDifferenceKind;
  pspPaymentId: string;
  pspAmountPence: number | null;
  ledgerAmountPence: number | null;
};

export type Settlement = {
  paymentCount: number;
  grossPence: number;
  feePence: number;
  refundPence: number;
  expectedPayoutPence: number;
  differences: SettlementDifference[];
};

/**
 * One payout = what the PSP settled that day − its fees − refunds netted off. `inLedger` are our
 * card payments for the settled ids; `dueToday` are those we captured `settlementDelayDays`
 * earlier, which should all be in this payout. Differences are sorted by kind then id.
 */
export function settlementOf(
  settled: readonly SettledPayment[],
  inLedger: readonly LedgerCardPayment[],
  dueToday: readonly LedgerCardPayment[],
  refundPence = 0,
): Settlement {
  const ledgerById = new Map(inLedger.map((p) => [p.pspPaymentId, p.amountPence]));
  const settledIds = new Set(settled.map((p) => p.pspPaymentId));
  const differences: SettlementDifference[] = [];
  let grossPence = 0;
  let feePence = 0;
  for (const payment of settled) {
    grossPence += payment.amountPence;
    feePence += payment.feePence;
    const ledgerAmountPence = ledgerById.get(payment.pspPaymentId);
    if (ledgerAmountPence === payment.amountPence) continue;
    differences.push({
      kind: ledgerAmountPence === undefined ? 'settled_not_in_ledger' : 'amount_differs',
      pspPaymentId: payment.pspPaymentId,
      pspAmountPence: payment.amountPence,
      ledgerAmountPence: ledgerAmountPence ?? null,
    });
  }
  for (const payment of dueToday) {
    if (settledIds.has(payment.pspPaymentId)) continue;
    differences.push({
      kind: 'in_ledger_not_settled',
      pspPaymentId: payment.pspPaymentId,
      pspAmountPence: null,
      ledgerAmountPence: payment.amountPence,
    });
  }
  differences.sort((a, b) =>
    a.kind === b.kind
      ? a.pspPaymentId < b.pspPaymentId
        ? -1
        : a.pspPaymentId > b.pspPaymentId
          ? 1
          : 0
      : a.kind < b.kind
        ? -1
        : 1,
  );
  return {
    paymentCount: settled.length,
    grossPence,
    feePence,
    refundPence,
    expectedPayoutPence: grossPence - feePence - refundPence,
    differences,
  };
}
