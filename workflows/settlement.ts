import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SettlementSummary } from '../activities/settlement';
import { councilWorkflowId } from '../domain/council';

/**
 * Reconciles one day's PSP settlement with the ledger and records the payout the bank should
 * show. Started by the API with a date, or by the nightly schedule without one (yesterday).
 */
export type SettlementInput = {
  /** YYYY-MM-DD the PSP settled; absent means yesterday in UK local time. */
  settledDate?: string;
  /** Days from capture to settlement at the PSP; GOV.UK Pay with Stripe settles next day. */
  settlementDelayDays?: number;
};

export function settlementWorkflowId(councilId: string, settledDate: string): string {
  return councilWorkflowId(councilId, `settlement-${settledDate}`);
}

// The PSP may be slow or rate-limiting: retry patiently, the answer is not urgent.
const settlementActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20 },
} as const;

const { reconcileSettlement, previousSettlementDate } =
  proxyActivities<Activities>(settlementActivityOptions);

export async function settlementWorkflow(input: SettlementInput): Promise<SettlementSummary> {
  const settledDate = input.settledDate ?? (await previousSettlementDate());
  return reconcileSettlement({ settledDate, settlementDelayDays: input.settlementDelayDays ?? 1 });
}
