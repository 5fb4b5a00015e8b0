import type { AllocatableMethodOfPayment } from './allocationCheck';
import { assertBalanced, type LedgerLine } from './ledger';
import { controlAccounts, fundAccountCode } from './ledgerAccounts';
import { extractVat } from './vat';

/**
 * Counter and postal payments (docs/cash-desk.md): what a cashier hands over the desk and how
 * it reaches the ledger. Pure; db/cashDesk.ts loads and posts.
 */

export type Tender =
  | { kind: 'cash'; tenderedPence: number }
  | { kind: 'cheque'; drawer: string; sortCode: string; chequeNumber: string }
  | { kind: 'postal_order'; serialNumber: string }
  /** Card present on the office's PDQ terminal: its authorisation code, never card data. */
  | { kind: 'pdq'; authorisationCode: string };

export type TenderKind = Tender['kind'];

export type CounterLine = {
  fundCode: string;
  reference: string;
  /** Negative on a write-back line. */
  amountPence: number;
  narrative?: string | null;
};

/** A counter line once the money core accepted it. */
export type PostedCounterLine = CounterLine & {
  vatCode: string;
  vatRateBasisPoints: number;
  vatPence: number;
};

export type CounterProblem = { field: string; message: string };

/** 12-34-56, 12 34 56 and 123456 are one sort code; anything else is not one. */
export function normaliseSortCode(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** Which flag a method of payment needs for a tender: cash, cheque (and postal order), card. */
export function tenderFitsMethod(kind: TenderKind, method: AllocatableMethodOfPayment): boolean {
  switch (kind) {
    case 'cash':
      return method.isCash;
    case 'cheque':
    case 'postal_order':
      return method.isCheque;
    case 'pdq':
      return method.isCard;
  }
}

/** The tender's own rules, each problem naming its field under `tender`. */
export function tenderProblems(tender: Tender, totalPence: number): CounterProblem[] {
  const problems: CounterProblem[] = [];
  switch (tender.kind) {
    case 'cash':
      if (tender.tenderedPence < totalPence)
        problems.push({ field: 'tender.tenderedPence', message: 'is less than the basket total' });
      break;
    case 'cheque':
      if (normaliseSortCode(tender.sortCode) === null)
        problems.push({ field: 'tender.sortCode', message: 'must be 6 digits, e.g. 12-34-56' });
      if (!/^\d{6,10}$/.test(tender.chequeNumber.trim()))
        problems.push({ field: 'tender.chequeNumber', message: 'is required: 6 to 10 digits' });
      if (tender.drawer.trim() === '')
        problems.push({ field: 'tender.drawer', message: 'is required' });
      break;
    case 'postal_order':
      if (!/^\d{6,12}$/.test(tender.serialNumber.trim()))
        problems.push({ field: 'tender.serialNumber', message: 'is required: 6 to 12 digits' });
      break;
    case 'pdq':
      if (!/^[A-Za-z0-9]{4,12}$/.test(tender.authorisationCode.trim()))
        problems.push({
          field: 'tender.authorisationCode',
          message: 'is required: 4 to 12 letters or digits from the terminal slip',
        });
      break;
  }
  return problems;
}

/** Change due to a cash customer; zero for every other tender. */
export function changeDuePence(tender: Tender, totalPence: number): number {
  return tender.kind === 'cash' ? tender.tenderedPence - totalPence : 0;
}

/** Where the money waits: cash, cheques and postal orders in the till; PDQ with the acquirer. */
export function tenderAccountCode(kind: TenderKind): string {
  return kind === 'pdq' ? controlAccounts.pdqClearing : controlAccounts.cashInHand;
}

export function withVat(line: CounterLine & { vatCode: string; vatRateBasisPoints: number }) {
  return { ...line, vatPence: extractVat(line.amountPence, line.vatRateBasisPoints).vatPence };
}

/**
 * The journal of a counter payment. Each line credits its fund with its net (a write-back line
 * debits it), VAT output takes each line's VAT the same way, and the till (or PDQ clearing)
 * takes the basket's total. A basket that is all write-back and replacement nets to nothing
 * at the till, and then the till line is left out.
 */
export function counterJournalLines(
  kind: TenderKind,
  lines: readonly PostedCounterLine[],
): LedgerLine[] {
  const totalPence = lines.reduce((sum, line) => sum + line.amountPence, 0);
  const result: LedgerLine[] = [];
  if (totalPence > 0)
    result.push({ accountCode: tenderAccountCode(kind), debitPence: totalPence, creditPence: 0 });
  const vatByCode = new Map<string, number>();
  for (const line of lines) {
    const netPence = line.amountPence - line.vatPence;
    const side =
      netPence >= 0
        ? { debitPence: 0, creditPence: netPence }
        : { debitPence: -netPence, creditPence: 0 };
    if (netPence !== 0)
      result.push({
        accountCode: fundAccountCode(line.fundCode),
        ...side,
        accountReference: line.reference,
        vatCode: line.vatCode,
        vatPence: Math.abs(line.vatPence),
        narrative: line.narrative ?? null,
      });
    if (line.vatPence !== 0)
      vatByCode.set(line.vatCode, (vatByCode.get(line.vatCode) ?? 0) + line.vatPence);
  }
  for (const [vatCode, vatPence] of vatByCode) {
    if (vatPence === 0) continue;
    result.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: vatPence < 0 ? -vatPence : 0,
      creditPence: vatPence > 0 ? vatPence : 0,
      vatCode,
    });
  }
  assertBalanced(result);
  return result;
}

/** Lines with the same fund and reference, after normalising, are one account paid twice. */
export function duplicateLineProblems(
  lines: readonly { fundCode: string; reference: string; amountPence: number }[],
): CounterProblem[] {
  const seen = new Map<string, number>();
  const problems: CounterProblem[] = [];
  lines.forEach((line, index) => {
    const key = `${line.fundCode}\u0000${line.reference}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        field: `lines[${index}].reference`,
        message: `is already on line ${first + 1} of this basket`,
      });
    else seen.set(key, index);
  });
  return problems;
}
