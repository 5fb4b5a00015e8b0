import { type AllocationContext, checkAllocation } from './allocationCheck';
import { formatPounds, pence } from './money';
import { type AllocatedLine, basketLinesMax, basketTotalPence, type PaymentLine } from './payment';

export type BasketRejection = { field: string; message: string };

export type BasketResult =
  | { ok: true; lines: AllocatedLine[] }
  | { ok: false; rejections: BasketRejection[] };

/**
 * Checks a whole basket through the money core and reports every bad line at once (a caller
 * fixing line 1 should not then discover line 3), with field names like `lines[2].reference`.
 */
export function checkBasket(
  context: AllocationContext,
  input: {
    lines: readonly PaymentLine[];
    methodOfPaymentCode: string;
    accountHolders: ReadonlyMap<string, { onStopMessage: string | null } | null>;
    permissions: ReadonlySet<string>;
  },
): BasketResult {
  if (input.lines.length === 0 || input.lines.length > basketLinesMax) {
    return {
      ok: false,
      rejections: [
        {
          field: 'lines',
          message: `A basket has 1 to ${basketLinesMax} lines; got ${input.lines.length}`,
        },
      ],
    };
  }
  const rejections: BasketRejection[] = [];
  const lines: AllocatedLine[] = [];
  input.lines.forEach((line, index) => {
    const result = checkAllocation(context, {
      ...line,
      methodOfPaymentCode: input.methodOfPaymentCode,
      accountHolder: input.accountHolders.get(accountHolderKey(line.fundCode, line.reference)),
      permissions: input.permissions,
    });
    if (!result.ok) {
      const field =
        result.field === 'methodOfPaymentCode'
          ? 'methodOfPaymentCode'
          : `lines[${index}].${result.field}`;
      rejections.push({ field, message: result.message });
      return;
    }
    lines.push({
      ...line,
      reference: result.normalisedReference,
      vatCode: result.vatCode,
      vatRateBasisPoints: result.vatRateBasisPoints,
    });
  });
  const methodOfPayment = context.methodsOfPayment.get(input.methodOfPaymentCode);
  const totalPence = basketTotalPence(input.lines);
  if (methodOfPayment !== undefined && totalPence > methodOfPayment.maxPence) {
    rejections.push({
      field: 'lines',
      message: `The basket totals ${formatPounds(pence(totalPence))}; ${methodOfPayment.name} takes at most ${formatPounds(pence(methodOfPayment.maxPence))}`,
    });
  }
  return rejections.length > 0
    ? { ok: false, rejections: dedupe(rejections) }
    : { ok: true, lines };
}

/** Account holders are looked up by fund and normalised reference. */
export function accountHolderKey(fundCode: string, reference: string): string {
  return `${fundCode}\u0000${reference.trim().toUpperCase()}`;
}

function dedupe(rejections: BasketRejection[]): BasketRejection[] {
  const seen = new Set<string>();
  return rejections.filter((rejection) => {
    const key = `${rejection.field}|${rejection.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
