import { assertBalanced, type LedgerLine } from './ledger';
import { fundAccountCode } from './ledgerAccounts';
import { extractVat } from './vat';

/** Money for one fund and account reference, VAT-inclusive, with the fund's VAT rate. */
export type IncomeLine = {
  fundCode: string;
  reference: string;
  amountPence: number;
  vatCode: string;
  vatRateBasisPoints: number;
  /** What the payer or the file said about the money, kept on the fund's posting for search. */
  narrative?: string;
  /** The line of the file the money came from (imports). */
  sourceLineNo?: number;
};

export type IncomeJournalOptions = {
  /** Where the money is until it reaches the bank: PSP clearing, collection clearing, bank… */
  debitAccountCode: string;
  /** The VAT output account credited with each VAT code's total. */
  vatAccountCode: string;
  /** A fee the provider keeps, moved from the debit account to `feeAccountCode`. */
  fee?: { feePence: number; feeAccountCode: string };
};

/**
 * The journal for income of any channel: the debit account takes the gross; each fund is
 * credited with its net (the line keeps its VAT code and VAT pence); VAT output is credited
 * once per VAT code; a known fee moves out of the debit account. Asserted balanced.
 */
export function incomeJournalLines(
  lines: readonly IncomeLine[],
  options: IncomeJournalOptions,
): LedgerLine[] {
  let grossPence = 0;
  const credits: LedgerLine[] = [];
  const vatByCode = new Map<string, number>();
  for (const line of lines) {
    grossPence += line.amountPence;
    const { netPence, vatPence } = extractVat(line.amountPence, line.vatRateBasisPoints);
    if (netPence > 0) {
      credits.push({
        accountCode: fundAccountCode(line.fundCode),
        debitPence: 0,
        creditPence: netPence,
        accountReference: line.reference,
        vatCode: line.vatCode,
        vatPence,
        ...(line.narrative ? { narrative: line.narrative } : {}),
        ...(line.sourceLineNo === undefined ? {} : { sourceLineNo: line.sourceLineNo }),
      });
    }
    if (vatPence > 0) vatByCode.set(line.vatCode, (vatByCode.get(line.vatCode) ?? 0) + vatPence);
  }
  const result: LedgerLine[] = [
    { accountCode: options.debitAccountCode, debitPence: grossPence, creditPence: 0 },
    ...credits,
  ];
  for (const [vatCode, vatPence] of vatByCode) {
    result.push({
      accountCode: options.vatAccountCode,
      debitPence: 0,
      creditPence: vatPence,
      vatCode,
    });
  }
  const feePence = options.fee?.feePence ?? 0;
  if (options.fee !== undefined && feePence > 0) {
    result.push({
      accountCode: options.fee.feeAccountCode,
      debitPence: feePence,
      creditPence: 0,
      narrative: 'Provider fee',
    });
    result.push({
      accountCode: options.debitAccountCode,
      debitPence: 0,
      creditPence: feePence,
      narrative: 'Provider fee',
    });
  }
  assertBalanced(result);
  return result;
}
