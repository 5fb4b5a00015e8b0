import type { LedgerLine } from './ledger';
import { controlAccounts } from './ledgerAccounts';

/**
 * The cashier's daily return (eReturn, cash-up): cash counted by denomination into numbered
 * bags, cheques and postal orders listed one by one, compared with what the ledger says the
 * cashier took. Pure: the workflow and the API both check a return with these functions.
 */

/** Sterling notes and coins in pence, £50 down to 1p: the only keys a bag's counts may have. */
export const denominationsPence = [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

export type ReturnBag = {
  /** The security bag's printed number, which the bank quotes on the credit. */
  bagNo: string;
  /** Pieces per denomination, keyed by the denomination in pence ("5000" for £50 notes). */
  counts: Record<string, number>;
};

export type ReturnCheque = {
  bagNo: string;
  /** A cheque's number, or a postal order's serial. */
  chequeNumber: string;
  drawer: string;
  amountPence: number;
};

export type ReturnContent = {
  bags: ReturnBag[];
  cheques: ReturnCheque[];
  explanation?: string | null;
};

export type CashReturnState = 'draft' | 'submitted' | 'approved' | 'voided';

export type ReturnProblem = { field: string; message: string };

export const bagsMax = 20;
export const chequesMax = 500;
const piecesMax = 1_000_000;

/** Every problem of a return's content at once, each naming its field (`bags[0].counts.3000`). */
export function returnContentProblems(content: ReturnContent): ReturnProblem[] {
  const problems: ReturnProblem[] = [];
  if (content.bags.length > bagsMax)
    problems.push({ field: 'bags', message: `at most ${bagsMax} bags` });
  if (content.cheques.length > chequesMax)
    problems.push({ field: 'cheques', message: `at most ${chequesMax} cheques` });
  const bagNos = new Set<string>();
  content.bags.forEach((bag, index) => {
    if (!/^[A-Za-z0-9-]{1,20}$/.test(bag.bagNo))
      problems.push({
        field: `bags[${index}].bagNo`,
        message: 'must be 1 to 20 letters or digits',
      });
    if (bagNos.has(bag.bagNo))
      problems.push({ field: `bags[${index}].bagNo`, message: 'is listed twice' });
    bagNos.add(bag.bagNo);
    for (const [key, count] of Object.entries(bag.counts)) {
      const field = `bags[${index}].counts.${key}`;
      if (!(denominationsPence as readonly number[]).includes(Number(key)) || !/^\d+$/.test(key))
        problems.push({ field, message: `is not a sterling denomination (${denomList()})` });
      else if (!Number.isSafeInteger(count) || count < 0 || count > piecesMax)
        problems.push({ field, message: 'must be a whole number of pieces, not negative' });
    }
  });
  content.cheques.forEach((cheque, index) => {
    if (!bagNos.has(cheque.bagNo))
      problems.push({ field: `cheques[${index}].bagNo`, message: 'names no bag of this return' });
    if (!/^\d{6,12}$/.test(cheque.chequeNumber ?? ''))
      problems.push({
        field: `cheques[${index}].chequeNumber`,
        message: 'is required: 6 to 10 digits',
      });
    if (!Number.isSafeInteger(cheque.amountPence) || cheque.amountPence <= 0)
      problems.push({ field: `cheques[${index}].amountPence`, message: 'must be at least 1p' });
  });
  return problems;
}

function denomList(): string {
  return denominationsPence.join(', ');
}

export function bagCashPence(bag: ReturnBag): number {
  let total = 0;
  for (const [key, count] of Object.entries(bag.counts)) total += Number(key) * count;
  return total;
}

export type BagTotal = {
  bagNo: string;
  cashPence: number;
  chequePence: number;
  totalPence: number;
};

export function bagTotals(content: ReturnContent): BagTotal[] {
  return content.bags.map((bag) => {
    const cashPence = bagCashPence(bag);
    const chequePence = content.cheques
      .filter((cheque) => cheque.bagNo === bag.bagNo)
      .reduce((sum, cheque) => sum + cheque.amountPence, 0);
    return { bagNo: bag.bagNo, cashPence, chequePence, totalPence: cashPence + chequePence };
  });
}

export type ReturnTotals = {
  declaredCashPence: number;
  declaredChequePence: number;
  expectedCashPence: number;
  expectedChequePence: number;
  /** Declared minus expected, cash and cheques together: negative is short. */
  overShortPence: number;
};

export function returnTotals(
  content: ReturnContent,
  expected: { cashPence: number; chequePence: number },
): ReturnTotals {
  const bags = bagTotals(content);
  const declaredCashPence = bags.reduce((sum, bag) => sum + bag.cashPence, 0);
  const declaredChequePence = bags.reduce((sum, bag) => sum + bag.chequePence, 0);
  return {
    declaredCashPence,
    declaredChequePence,
    expectedCashPence: expected.cashPence,
    expectedChequePence: expected.chequePence,
    overShortPence:
      declaredCashPence + declaredChequePence - expected.cashPence - expected.chequePence,
  };
}

/** A return that does not balance must say why before it can be submitted. */
export function submitProblems(content: ReturnContent, totals: ReturnTotals): ReturnProblem[] {
  const problems = returnContentProblems(content);
  if (content.bags.length === 0 && totals.expectedCashPence + totals.expectedChequePence > 0)
    problems.push({ field: 'bags', message: 'list at least one bag for the takings' });
  const explanation = content.explanation?.trim() ?? '';
  if (totals.overShortPence !== 0 && explanation === '')
    problems.push({
      field: 'explanation',
      message: `the return is ${totals.overShortPence < 0 ? 'short' : 'over'}: say why`,
    });
  return problems;
}

/**
 * The journal that makes cash in hand equal what was counted: a shortage moves from cash in
 * hand to the over/short account, an overage the other way. Null when the return balances.
 */
export function overShortLines(overShortPence: number, narrative: string): LedgerLine[] | null {
  if (overShortPence === 0) return null;
  const amount = Math.abs(overShortPence);
  const short = overShortPence < 0;
  return [
    {
      accountCode: short ? controlAccounts.cashOverShort : controlAccounts.cashInHand,
      debitPence: amount,
      creditPence: 0,
      narrative,
    },
    {
      accountCode: short ? controlAccounts.cashInHand : controlAccounts.cashOverShort,
      debitPence: 0,
      creditPence: amount,
      narrative,
    },
  ];
}

/** "HH:MM" UK local time has passed on `businessDate` at `nowMs`. */
export function isPastClosing(businessDate: string, closesAt: string, nowMs: number): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(nowMs));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  const today = `${get('year')}-${get('month')}-${get('day')}`;
  if (businessDate < today) return true;
  if (businessDate > today) return false;
  return `${get('hour')}:${get('minute')}` >= closesAt;
}
