import { type BasketResult, checkBasket } from '../domain/basket';
import type { PaymentLine } from '../domain/payment';
import { normaliseReference } from '../domain/references';
import { loadAllocationContext, lookupAccountHolders } from './allocationContext';
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
  const context = await loadAllocationContext(db);
  // Looked up as the money core will read them: normalised by each fund's own rules.
  const accountHolders = await lookupAccountHolders(
    db,
    input.lines.map((line) => ({
      fundCode: line.fundCode,
      reference: normaliseReference(line.reference, context.funds.get(line.fundCode)?.validator),
    })),
  );
  return checkBasket(context, { ...input, accountHolders });
}
