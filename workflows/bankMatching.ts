import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BankMatchingResult } from '../activities/bankMatching';
import { businessDateOf } from '../domain/businessDate';
import { councilWorkflowId } from '../domain/council';

/**
 * Matches unmatched bank statement credits to expected items (payouts, collection files, cash
 * bankings, direct credits) with the configured rules, posting each match's clearing journal,
 * and refreshes the open exceptions. Started by the API (which waits for the result) and by
 * the morning schedule. With a statement import id its workflow id is that import's
 * (`bank-match-<importId>`), so one statement is matched once however often it is asked.
 */
export type BankMatchingInput = {
  /** YYYY-MM-DD exceptions are aged from; absent means today in UK local time. */
  asOf?: string;
  /** The statement import this run is for, when there is one (its id keys the workflow). */
  statementImportId?: string;
};

export function bankMatchingWorkflowId(councilId: string, statementImportId: string): string {
  return councilWorkflowId(councilId, `bank-match-${statementImportId}`);
}

// One transaction over every unmatched line and item: usually seconds; big backlogs take longer.
const matchingActivityOptions = {
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
} as const;

const { matchBankStatements } = proxyActivities<Activities>(matchingActivityOptions);

export async function bankMatchingWorkflow(input: BankMatchingInput): Promise<BankMatchingResult> {
  const asOf = input.asOf ?? businessDateOf(Date.now());
  return matchBankStatements({ asOf });
}
