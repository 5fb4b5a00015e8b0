import { and, eq, inArray } from 'drizzle-orm';
import type { AllocatableMethodOfPayment, AllocationContext } from '../domain/allocationCheck';
import type { FundConfig, VatCodeConfig } from '../domain/councilConfig';
import type { Executor } from './executor';
import { accountHolders, funds, methodsOfPayment, vatCodes } from './schema';

/**
 * Loads what `checkAllocation` needs: every fund, method of payment and VAT code, disabled
 * ones included (so the check can say "disabled" rather than "unknown"). Configuration is a
 * few dozen rows, so one query each is cheaper than being clever.
 */
export async function loadAllocationContext(db: Executor): Promise<AllocationContext> {
  const [fundRows, methodRows, vatRows] = await Promise.all([
    db.select().from(funds),
    db.select().from(methodsOfPayment),
    db.select().from(vatCodes),
  ]);
  const fundConfigs = fundRows.map(({ createdAt: _c, updatedAt: _u, ...fund }): FundConfig => fund);
  const methodConfigs = methodRows.map(
    ({ createdAt: _c, updatedAt: _u, ...method }): AllocatableMethodOfPayment => method,
  );
  const vatConfigs = vatRows.map(
    ({ code, name, rateBasisPoints }): VatCodeConfig => ({
      code,
      name,
      rateBasisPoints,
    }),
  );
  return {
    funds: new Map(fundConfigs.map((fund) => [fund.code, fund])),
    methodsOfPayment: new Map(methodConfigs.map((method) => [method.code, method])),
    vatCodes: new Map(vatConfigs.map((vat) => [vat.code, vat])),
  };
}

export type AccountHolderSummary = {
  reference: string;
  balancePence: number | null;
  onStopMessage: string | null;
};

// Keeps each statement's parameter count far below PostgreSQL's limit of 65,535.
const lookupBatchSize = 5000;

/**
 * The account holders of one fund for a batch of normalised references, keyed by reference;
 * a reference not in the map is not in the fund's list. Names and addresses are not read:
 * checking a payment needs no personal data.
 */
export async function findAccountHolders(
  db: Executor,
  fundCode: string,
  references: readonly string[],
): Promise<Map<string, AccountHolderSummary>> {
  const found = new Map<string, AccountHolderSummary>();
  const unique = [...new Set(references)];
  for (let start = 0; start < unique.length; start += lookupBatchSize) {
    const batch = unique.slice(start, start + lookupBatchSize);
    const rows = await db
      .select({
        reference: accountHolders.reference,
        balancePence: accountHolders.balancePence,
        onStopMessage: accountHolders.onStopMessage,
      })
      .from(accountHolders)
      .where(and(eq(accountHolders.fundCode, fundCode), inArray(accountHolders.reference, batch)));
    for (const row of rows) found.set(row.reference, row);
  }
  return found;
}
