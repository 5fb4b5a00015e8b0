import { Context } from '@temporalio/activity';
import { runBankMatching } from '../db/bankReconciliationMatching';
import type { Database } from '../db/client';

/**
 * Bank matching as an activity: one database transaction (db/bankReconciliationMatching.ts)
 * that stores the matches, their clearing journals and the refreshed exceptions together. Keyed
 * by the workflow run, so a retry whose first attempt committed returns that attempt's matches.
 */
export type BankMatchView = {
  id: string;
  rule: string;
  statementLineIds: string[];
  expectedItemIds: string[];
  differencePence: number;
  matchedBy: string;
  note: string | null;
  createdAt: string;
  unmatchedAt: string | null;
  unmatchedBy: string | null;
  unmatchReason: string | null;
  clearingJournalId: string | null;
  clearingReversalJournalId: string | null;
};

export type BankMatchingResult = { matches: BankMatchView[]; openExceptions: number };

export function bankMatchView(
  row: Awaited<ReturnType<typeof runBankMatching>>['matches'][number],
): BankMatchView {
  return {
    id: row.id,
    rule: row.rule,
    statementLineIds: row.statementLineIds,
    expectedItemIds: row.expectedItemIds,
    differencePence: row.differencePence,
    matchedBy: row.matchedBy,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
    unmatchedAt: row.unmatchedAt?.toISOString() ?? null,
    unmatchedBy: row.unmatchedBy,
    unmatchReason: row.unmatchReason,
    clearingJournalId: row.clearingJournalId,
    clearingReversalJournalId: row.clearingReversalJournalId,
  };
}

export function createBankMatchingActivities(deps: { db: Database }) {
  return {
    async matchBankStatements(input: { asOf: string }): Promise<BankMatchingResult> {
      const { workflowExecution, activityId } = Context.current().info;
      // Outside a workflow (never in the IMS) there is no run to key by: the activity id is.
      const runId = workflowExecution?.runId ?? activityId;
      const run = await runBankMatching(deps.db, input.asOf, {
        runId,
        causedBy: `workflow:${workflowExecution?.workflowId ?? runId}`,
      });
      return { matches: run.matches.map(bankMatchView), openExceptions: run.openExceptions };
    },
  };
}
