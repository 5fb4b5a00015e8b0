import { accountHolderKey, type BasketResult, checkBasket } from '../domain/basket';
import type { PaymentLine } from '../domain/payment';
import { findAccountHolders, loadAllocationContext } from './allocationContext';
import type { Executor } from './executor';

/**
 * Checks a basket against the live configuration and account-holder lists. The API calls it to
 * answer a bad request at once; the workflow's activity calls it again as the authority,
 * because configuration can change between the two.
 */
export async function checkBasketInDatabase(
  db: Executor,
  input: {
    lines: readonly PaymentLine[];
    methodOfPaymentCode: string;
    permissions: ReadonlySet<string>;
  },
): Promise<BasketResult> {
  const [context, accountHolders] = await Promise.all([
    loadAllocationContext(db),
    accountHoldersFor(db, input.lines),
  ]);
  return checkBasket(context, { ...input, accountHolders });
}

/** null marks "looked up and not in the list", which funds that require the list refuse. */
async function accountHoldersFor(db: Executor, lines: readonly PaymentLine[]) {
  const byFund = new Map<string, string[]>();
  for (const line of lines) {
    byFund.set(line.fundCode, [
      ...(byFund.get(line.fundCode) ?? []),
      line.reference.trim().toUpperCase(),
    ]);
  }
  const holders = new Map<string, { onStopMessage: string | null } | null>();
  for (const [fundCode, references] of byFund) {
    const found = await findAccountHolders(db, fundCode, references);
    for (const reference of references)
      holders.set(accountHolderKey(fundCode, reference), found.get(reference) ?? null);
  }
  return holders;
}
