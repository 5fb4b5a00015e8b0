import { assertBalanced, type LedgerLine } from './ledger';
import { controlAccounts, fundAccountCode } from './ledgerAccounts';
import { allocateProportionally, pence } from './money';
import { extractVat } from './vat';

/**
 * Holdings: what one source of income (a payment, a suspense item) still holds in each fund
 * and account reference, after every allocation, move and refund posted for it. Refunds take
 * money out of holdings; moves take it out of one and put it into another.
 *
 * VAT rule: taking part of a holding reverses VAT extracted from that part (`extractVat`), but
 * never more than the holding still carries; taking all of it reverses exactly what remains.
 * So however a payment is refunded, in one go or in parts, the VAT posted back nets to the VAT
 * originally posted, to the penny.
 */
export type Holding = {
  fundCode: string;
  reference: string | null;
  vatCode: string | null;
  vatRateBasisPoints: number;
  /** Gross still held: net in the fund plus the VAT that went to VAT output. */
  grossPence: number;
  vatPence: number;
};

export type Taken = { holding: Holding; grossPence: number; netPence: number; vatPence: number };

export function takeFromHolding(holding: Holding, grossPence: number): Taken {
  pence(grossPence);
  if (grossPence <= 0 || grossPence > holding.grossPence) {
    throw new RangeError(
      `Cannot take ${grossPence} pence from a holding of ${holding.grossPence} pence`,
    );
  }
  const vatPence =
    grossPence === holding.grossPence
      ? holding.vatPence
      : Math.min(holding.vatPence, extractVat(grossPence, holding.vatRateBasisPoints).vatPence);
  return { holding, grossPence, netPence: grossPence - vatPence, vatPence };
}

/**
 * Spreads an amount over holdings in proportion to what each holds (largest remainder, ties to
 * the earlier holding). No part exceeds its holding, and the parts sum to the amount.
 */
export function spreadOverHoldings(holdings: readonly Holding[], amountPence: number): Taken[] {
  const held = holdings.filter((holding) => holding.grossPence > 0);
  const totalPence = held.reduce((sum, holding) => sum + holding.grossPence, 0);
  if (amountPence <= 0 || amountPence > totalPence) {
    throw new RangeError(`Cannot spread ${amountPence} pence over holdings of ${totalPence}`);
  }
  const shares = allocateProportionally(
    pence(amountPence),
    held.map((holding) => holding.grossPence),
  );
  const taken: Taken[] = [];
  held.forEach((holding, index) => {
    const share = shares[index] ?? 0;
    if (share > 0) taken.push(takeFromHolding(holding, share));
  });
  const sumPence = taken.reduce((sum, part) => sum + part.grossPence, 0);
  if (sumPence !== amountPence) throw new Error(`Spread ${sumPence} pence, not ${amountPence}`);
  return taken;
}

/** Debit lines that undo what was taken: each fund its net, VAT output its VAT per code. */
export function linesUndoing(taken: readonly Taken[]): LedgerLine[] {
  const lines: LedgerLine[] = [];
  const vatByCode = new Map<string, number>();
  for (const part of taken) {
    if (part.netPence > 0) {
      lines.push({
        accountCode: fundAccountCode(part.holding.fundCode),
        debitPence: part.netPence,
        creditPence: 0,
        accountReference: part.holding.reference,
        vatCode: part.holding.vatCode,
        vatPence: part.vatPence,
      });
    }
    const code = part.holding.vatCode;
    if (part.vatPence > 0 && code !== null)
      vatByCode.set(code, (vatByCode.get(code) ?? 0) + part.vatPence);
  }
  for (const [vatCode, vatPence] of vatByCode) {
    lines.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: vatPence,
      creditPence: 0,
      vatCode,
    });
  }
  return lines;
}

/**
 * A refund's journal: the allocation reversed into refunds payable, and refunds payable paid
 * out of PSP clearing (card) or the bank (BACS).
 */
export function refundLines(taken: readonly Taken[], paidFromAccountCode: string): LedgerLine[] {
  const grossPence = taken.reduce((sum, part) => sum + part.grossPence, 0);
  const lines: LedgerLine[] = [
    ...linesUndoing(taken),
    { accountCode: controlAccounts.refundsPayable, debitPence: 0, creditPence: grossPence },
    { accountCode: controlAccounts.refundsPayable, debitPence: grossPence, creditPence: 0 },
    { accountCode: paidFromAccountCode, debitPence: 0, creditPence: grossPence },
  ];
  assertBalanced(lines);
  return lines;
}

export type MoveTarget = {
  fundCode: string;
  reference: string;
  vatCode: string;
  vatRateBasisPoints: number;
};

/**
 * A move (re-allocation): the old allocation undone and the new one posted, in one balanced
 * journal. VAT follows the funds: undone at the old fund's rate, extracted at the new one's.
 */
export function moveLines(taken: readonly Taken[], target: MoveTarget): LedgerLine[] {
  const grossPence = taken.reduce((sum, part) => sum + part.grossPence, 0);
  const { netPence, vatPence } = extractVat(grossPence, target.vatRateBasisPoints);
  const lines: LedgerLine[] = [
    ...linesUndoing(taken),
    {
      accountCode: fundAccountCode(target.fundCode),
      debitPence: 0,
      creditPence: netPence,
      accountReference: target.reference,
      vatCode: target.vatCode,
      vatPence,
    },
  ];
  if (vatPence > 0) {
    lines.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: 0,
      creditPence: vatPence,
      vatCode: target.vatCode,
    });
  }
  assertBalanced(lines);
  return lines;
}

/** A fund's VAT treatment, for a transfer whose VAT follows the funds. */
export type FundVat = {
  fundCode: string;
  reference: string | null;
  vatCode: string;
  vatRateBasisPoints: number;
};

/**
 * A transfer of `grossPence` between funds with VAT following the funds: the VAT the source's
 * rate holds in it is given back (debited from VAT output) and the target's rate extracted
 * again (credited to it), so income moved from a 20% fund to an outside-scope one stops
 * counting as VAT, and the other way round starts to.
 */
export function vatTransferLines(grossPence: number, from: FundVat, to: FundVat): LedgerLine[] {
  const out = extractVat(grossPence, from.vatRateBasisPoints);
  const into = extractVat(grossPence, to.vatRateBasisPoints);
  const lines: LedgerLine[] = [
    {
      accountCode: fundAccountCode(from.fundCode),
      debitPence: out.netPence,
      creditPence: 0,
      accountReference: from.reference,
      vatCode: from.vatCode,
      vatPence: out.vatPence,
    },
  ];
  if (out.vatPence > 0)
    lines.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: out.vatPence,
      creditPence: 0,
      vatCode: from.vatCode,
    });
  lines.push({
    accountCode: fundAccountCode(to.fundCode),
    debitPence: 0,
    creditPence: into.netPence,
    accountReference: to.reference,
    vatCode: to.vatCode,
    vatPence: into.vatPence,
  });
  if (into.vatPence > 0)
    lines.push({
      accountCode: controlAccounts.vatOutput,
      debitPence: 0,
      creditPence: into.vatPence,
      vatCode: to.vatCode,
    });
  assertBalanced(lines);
  return lines;
}
