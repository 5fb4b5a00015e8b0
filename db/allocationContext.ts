import { and, eq, param, sql } from 'drizzle-orm';
import type { AllocatableMethodOfPayment, AllocationContext } from '../domain/allocationCheck';
import { accountHolderKey } from '../domain/basket';
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

/**
 * The account holders of one fund for a batch of normalised references, keyed by reference;
 * a reference not in the map is not in the fund's list. Names and addresses are not read:
 * checking a payment needs no personal data. The references travel as ONE array parameter
 * (`= any($2)`), so a batch of any size is one cheap statement.
 */
export async function findAccountHolders(
  db: Executor,
  fundCode: string,
  references: readonly string[],
): Promise<Map<string, AccountHolderSummary>> {
  const found = new Map<string, AccountHolderSummary>();
  if (references.length === 0) return found;
  const rows = await db
    .select({
      reference: accountHolders.reference,
      balancePence: accountHolders.balancePence,
      onStopMessage: accountHolders.onStopMessage,
    })
    .from(accountHolders)
    .where(
      and(
        eq(accountHolders.fundCode, fundCode),
        sql`${accountHolders.reference} = any(${param([...new Set(references)])}::text[])`,
      ),
    );
  for (const row of rows) found.set(row.reference, row);
  return found;
}

/**
 * Account holders for many (fund, normalised reference) pairs at once, one query per fund,
 * keyed by `accountHolderKey`; null marks "looked up and not in the list", which funds that
 * require the list refuse.
 */
export async function lookupAccountHolders(
  db: Executor,
  items: Iterable<{ fundCode: string | null; reference: string }>,
): Promise<Map<string, { onStopMessage: string | null } | null>> {
  const byFund = new Map<string, string[]>();
  for (const item of items) {
    if (item.fundCode === null) continue;
    const references = byFund.get(item.fundCode);
    if (references === undefined) byFund.set(item.fundCode, [item.reference]);
    else references.push(item.reference);
  }
  const holders = new Map<string, { onStopMessage: string | null } | null>();
  for (const [fundCode, references] of byFund) {
    const found = await findAccountHolders(db, fundCode, references);
    for (const reference of references)
      holders.set(accountHolderKey(fundCode, reference), found.get(reference) ?? null);
  }
  return holders;
}
