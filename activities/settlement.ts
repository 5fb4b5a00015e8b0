import type { Database } from '../db/client';
import {
  fundCodes,
  ledgerCardRefundsPostedOn,
  ledgerPaymentsFor,
  ledgerPaymentsPostedOn,
  saveSettlement,
} from '../db/settlement';
import { businessDateOf } from '../domain/businessDate';
import { addDays, type SettledPayment, settlementOf } from '../domain/settlement';
import type { PaymentServiceProvider } from '../psp';

/**
 * PSP settlement: read every payment the PSP settled on a date (all pages, for every fund's
 * PSP service, deduplicated because funds may share one), compare with our ledger and store
 * the expected payout: gross − the PSP's fees − the ledger's card refunds made the day the
 * payments were captured (the PSP settles refunds on the same delay and nets them off). Safe to
 * repeat: it reads, then replaces the date's row.
 */
export type SettlementSummary = {
  settledDate: string;
  paymentCount: number;
  grossPence: number;
  feePence: number;
  refundPence: number;
  /** Absent in results recorded before refunds were counted. */
  refundCount?: number;
  expectedPayoutPence: number;
  differenceCount: number;
};

const pageSize = 500;

async function settledPaymentsOn(
  psp: PaymentServiceProvider,
  scopes: readonly string[],
  settledDate: string,
): Promise<SettledPayment[]> {
  const byId = new Map<string, SettledPayment>();
  for (const fundCode of scopes) {
    for (let page = 1; ; page++) {
      const result = await psp.searchSettledPayments(
        { fromSettledDate: settledDate, toSettledDate: settledDate, page, pageSize },
        { fundCode },
      );
      for (const payment of result.payments) {
        byId.set(payment.pspPaymentId, {
          pspPaymentId: payment.pspPaymentId,
          amountPence: payment.amountPence,
          feePence: payment.feePence ?? 0,
        });
      }
      if (!result.hasMore || result.payments.length === 0) break;
    }
  }
  return [...byId.values()].sort((a, b) => (a.pspPaymentId < b.pspPaymentId ? -1 : 1));
}

export function createSettlementActivities(deps: {
  db: Database;
  psp: PaymentServiceProvider;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return {
    async previousSettlementDate(): Promise<string> {
      return addDays(businessDateOf(now()), -1);
    },

    async reconcileSettlement(input: {
      settledDate: string;
      settlementDelayDays: number;
    }): Promise<SettlementSummary> {
      const scopes = await fundCodes(deps.db);
      const settled = await settledPaymentsOn(deps.psp, scopes, input.settledDate);
      const inLedger = await ledgerPaymentsFor(
        deps.db,
        settled.map((p) => p.pspPaymentId),
      );
      const capturedOn = addDays(input.settledDate, -input.settlementDelayDays);
      const due = await ledgerPaymentsPostedOn(deps.db, capturedOn);
      const refunds = await ledgerCardRefundsPostedOn(deps.db, capturedOn);
      const settlement = settlementOf(settled, inLedger, due, refunds.refundPence);
      await saveSettlement(deps.db, input.settledDate, settlement, refunds.refundCount);
      const { differences, ...totals } = settlement;
      return {
        settledDate: input.settledDate,
        ...totals,
        refundCount: refunds.refundCount,
        differenceCount: differences.length,
      };
    },
  };
}
