import { type AllocationContext, checkAllocation } from './allocationCheck';
import { accountHolderKey } from './basket';
import { applyRules, type CompiledRules } from './importRules';
import type { IncomeLine } from './income';
import { normaliseReference, type ReferenceRoute, routeReference } from './references';

/**
 * What happens to each row of an income file: the import rules run, a row still without a fund
 * is routed by its reference, and the money core checks it. Every row ends allocated, in
 * suspense (with the reason), or rejected (not income at all); none is ever dropped.
 */
export type StagedRow = {
  lineNo: number;
  reference: string;
  amountPence: number;
  narrative: string;
  transactionDate: string;
  fundCode: string | null;
};

/** A row after the rules and routing, before the money core. */
export type RoutedRow = StagedRow & { normalisedReference: string };

export type AllocatedRow = IncomeLine & { lineNo: number };

export type SuspendedRow = {
  lineNo: number;
  receivedReference: string;
  amountPence: number;
  narrative: string;
  transactionDate: string;
  fundCodeHint: string | null;
  reason: string;
};

export type RejectedRow = { lineNo: number; field: string; message: string };

export type ChunkOutcome = {
  allocated: AllocatedRow[];
  suspended: SuspendedRow[];
  rejected: RejectedRow[];
};

export type ChunkRules = {
  allocation: AllocationContext;
  rules: CompiledRules;
  routes: readonly ReferenceRoute[];
  methodOfPaymentCode: string;
};

/** First pass: rules and routing, so the caller can look up account holders per fund. */
export function routeRows(rows: readonly StagedRow[], rules: ChunkRules): RoutedRow[] {
  return rows.map((row) => {
    const ruled =
      rules.rules.rules.length === 0 ? row : { ...row, ...applyRules(rules.rules, row).row };
    const fundCode = ruled.fundCode ?? routeReference(ruled.reference, rules.routes);
    return {
      ...row,
      reference: ruled.reference,
      // A rule may set the amount (setAmountPence); otherwise it is the file's.
      amountPence: ruled.amountPence,
      narrative: ruled.narrative,
      fundCode,
      normalisedReference: normaliseReference(
        ruled.reference,
        fundCode === null ? undefined : rules.allocation.funds.get(fundCode)?.validator,
      ),
    };
  });
}

/** Second pass: the money core decides, with the account holders the caller looked up. */
export function classifyRows(
  rows: readonly RoutedRow[],
  rules: ChunkRules,
  accountHolders: ReadonlyMap<string, { onStopMessage: string | null } | null>,
): ChunkOutcome {
  const outcome: ChunkOutcome = { allocated: [], suspended: [], rejected: [] };
  const noPermissions: ReadonlySet<string> = new Set();
  for (const row of rows) {
    if (row.amountPence <= 0) {
      outcome.rejected.push({
        lineNo: row.lineNo,
        field: 'amount',
        message: 'Not income: the amount is zero or a debit',
      });
      continue;
    }
    const suspend = (reason: string) =>
      outcome.suspended.push({
        lineNo: row.lineNo,
        receivedReference: row.reference,
        amountPence: row.amountPence,
        narrative: row.narrative,
        transactionDate: row.transactionDate,
        fundCodeHint: row.fundCode,
        reason,
      });
    if (row.fundCode === null) {
      suspend('No fund matched the reference');
      continue;
    }
    const result = checkAllocation(rules.allocation, {
      fundCode: row.fundCode,
      reference: row.reference,
      amountPence: row.amountPence,
      methodOfPaymentCode: rules.methodOfPaymentCode,
      accountHolder: accountHolders.get(accountHolderKey(row.fundCode, row.normalisedReference)),
      permissions: noPermissions,
    });
    if (!result.ok) {
      suspend(result.message);
      continue;
    }
    outcome.allocated.push({
      lineNo: row.lineNo,
      fundCode: result.fundCode,
      reference: result.normalisedReference,
      amountPence: row.amountPence,
      vatCode: result.vatCode,
      vatRateBasisPoints: result.vatRateBasisPoints,
      narrative: row.narrative,
      sourceLineNo: row.lineNo,
    });
  }
  return outcome;
}
