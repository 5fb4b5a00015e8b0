import { assertBalanced, type LedgerLine } from './ledger';
import { controlAccounts, fundAccountCode } from './ledgerAccounts';
import {
  type CheckedPart,
  poundsOf,
  suspenseAllocationLines,
  suspenseLedgerReference,
  type UpdateProblem,
} from './suspense';
import { extractVat } from './vat';

/**
 * Several suspense items allocated together in one journal, optionally with credit notes: a
 * customer's two unidentified payments and the credit held on their account together pay one
 * bill. What comes in (the items' shares plus the credit notes) must equal, to the penny, what
 * goes out (the parts), which must equal the control total the person typed.
 */

export const togetherItemsMax = 20;
export const creditNotesMax = 10;

export type ItemShare = { suspenseId: string; amountPence: number };
export type ItemShareOf = ItemShare & { receivedReference: string };

const sum = (values: readonly { amountPence: number }[]) =>
  values.reduce((total, value) => total + value.amountPence, 0);

export function checkTogether(request: {
  items: readonly ItemShare[];
  parts: readonly { amountPence: number }[];
  creditNotes: readonly { amountPence: number }[];
  totalPence: number;
}): UpdateProblem | null {
  const ids = request.items.map((item) => item.suspenseId);
  const repeated = ids.findIndex((id, index) => ids.indexOf(id) !== index);
  if (repeated >= 0) return { field: `items[${repeated}].suspenseId`, message: 'is named twice' };
  const outPence = sum(request.parts);
  if (outPence !== request.totalPence) {
    return {
      field: 'totalPence',
      message: `the parts add up to ${poundsOf(outPence)}, not ${poundsOf(request.totalPence)}`,
    };
  }
  const inPence = sum(request.items) + sum(request.creditNotes);
  if (inPence !== request.totalPence) {
    return {
      field: 'totalPence',
      message: `the items and credit notes add up to ${poundsOf(inPence)}, not ${poundsOf(request.totalPence)}`,
    };
  }
  return null;
}

/**
 * Which parts each item's money went to, for the item's own record: the items (then the credit
 * notes) fill the parts in order, so each item's slices add up to its share exactly.
 */
export function slicesOf<Part extends { amountPence: number }>(
  sources: readonly { amountPence: number }[],
  parts: readonly Part[],
): (Part & { amountPence: number })[][] {
  const left = parts.map((part) => part.amountPence);
  let partIndex = 0;
  return sources.map((source) => {
    const slices: (Part & { amountPence: number })[] = [];
    let wanted = source.amountPence;
    while (wanted > 0 && partIndex < parts.length) {
      const taken = Math.min(wanted, left[partIndex]!);
      if (taken > 0) slices.push({ ...parts[partIndex]!, amountPence: taken });
      wanted -= taken;
      left[partIndex]! -= taken;
      if (left[partIndex] === 0) partIndex += 1;
    }
    if (wanted !== 0) throw new Error('sources exceed the parts: checkTogether first');
    return slices;
  });
}

/**
 * The one journal: each item's share debited from the suspense fund (against the reference it
 * arrived with), each credit note debited from its account (net, its VAT back from VAT output),
 * and every part credited as a single allocation would credit it.
 */
export function togetherLines(
  suspenseFundCode: string,
  items: readonly ItemShareOf[],
  creditNotes: readonly CheckedPart[],
  parts: readonly CheckedPart[],
): LedgerLine[] {
  const [, ...credits] = suspenseAllocationLines(suspenseFundCode, 'X', parts);
  const lines: LedgerLine[] = items.map((item) => ({
    accountCode: fundAccountCode(suspenseFundCode),
    debitPence: item.amountPence,
    creditPence: 0,
    accountReference: suspenseLedgerReference(item.receivedReference),
  }));
  for (const note of creditNotes) {
    const { netPence, vatPence } = extractVat(note.amountPence, note.vatRateBasisPoints);
    lines.push({
      accountCode: fundAccountCode(note.fundCode),
      debitPence: netPence,
      creditPence: 0,
      accountReference: note.reference,
      vatCode: note.vatCode,
      vatPence,
    });
    if (vatPence > 0)
      lines.push({
        accountCode: controlAccounts.vatOutput,
        debitPence: vatPence,
        creditPence: 0,
        vatCode: note.vatCode,
      });
  }
  lines.push(...credits);
  assertBalanced(lines);
  return lines;
}
