import { assertBalanced, type LedgerLine } from './ledger';

/**
 * The clearing journal of a bank match: the money a statement line brought into the bank
 * (Dr the bank account) leaves the control accounts where it waited (Cr PSP clearing for a
 * payout, the agent's clearing for a collection file, cash in hand for a cash banking). Pure.
 */
export type ClearingPart = { accountCode: string; amountPence: number };

/**
 * Lines for `statementPence` received against items waiting in `parts`. Each account is
 * credited with what was expected of it; a difference (statement − expected, e.g. a payout 1p
 * short accepted by hand) falls on the account expecting the most (ties: lower code), so it
 * stays visible there as an uncleared residue rather than vanishing. An account's net is one
 * line on the side it falls (a bank account among the parts, a direct credit already booked to
 * the bank, nets against the debit). Null when nothing moves (only direct credits, exactly).
 */
export function clearingJournalLines(
  bankAccountCode: string,
  statementPence: number,
  parts: readonly ClearingPart[],
  narrative: string,
): LedgerLine[] | null {
  if (!Number.isSafeInteger(statementPence) || statementPence <= 0)
    throw new RangeError(`statement amount must be positive pence; got ${statementPence}`);
  if (parts.length === 0) throw new RangeError('a clearing journal needs at least one item');
  // Credits positive: what each account gives up.
  const expected = new Map<string, number>();
  for (const part of parts) {
    if (!Number.isSafeInteger(part.amountPence) || part.amountPence <= 0)
      throw new RangeError(`expected amount must be positive pence; got ${part.amountPence}`);
    expected.set(part.accountCode, (expected.get(part.accountCode) ?? 0) + part.amountPence);
  }
  const expectedTotal = [...expected.values()].reduce((sum, pence) => sum + pence, 0);
  const [largest] = [...expected].sort(([codeA, a], [codeB, b]) =>
    a !== b ? b - a : codeA < codeB ? -1 : 1,
  );
  const net = new Map(expected);
  if (largest !== undefined)
    net.set(largest[0], (net.get(largest[0]) ?? 0) + statementPence - expectedTotal);
  net.set(bankAccountCode, (net.get(bankAccountCode) ?? 0) - statementPence);
  const lines: LedgerLine[] = [];
  const byCode = [...net].sort(([a], [b]) =>
    a === bankAccountCode ? -1 : b === bankAccountCode ? 1 : a < b ? -1 : 1,
  );
  for (const [accountCode, pence] of byCode) {
    if (pence < 0) lines.push({ accountCode, debitPence: -pence, creditPence: 0, narrative });
  }
  for (const [accountCode, pence] of byCode) {
    if (pence > 0) lines.push({ accountCode, debitPence: 0, creditPence: pence, narrative });
  }
  if (lines.length === 0) return null;
  assertBalanced(lines);
  return lines;
}
