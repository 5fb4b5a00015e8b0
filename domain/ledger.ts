/**
 * Ledger maths checked in code before a journal is inserted; the database checks the same
 * invariants again (style.md: paired assertions). A posting line has exactly one positive
 * side: debits and credits are never negative, so the direction of money is always the side
 * it sits on, never its sign.
 */

export type PostingLine = { accountCode: string; debitPence: number; creditPence: number };

/** A posting line with the details the ledger keeps beside the amount. */
export type LedgerLine = PostingLine & {
  accountReference?: string | null;
  vatCode?: string | null;
  /** VAT split off this line's gross and posted to the VAT control account. */
  vatPence?: number;
  narrative?: string | null;
  /** The file line an imported row came from, so a posting can name its file and line. */
  sourceLineNo?: number | null;
};

export type LedgerInvariantCode =
  | 'too_few_lines'
  | 'amount_not_safe_integer'
  | 'negative_amount'
  | 'not_one_sided'
  | 'unbalanced';

/** A journal that breaks double entry. Always a bug upstream, so it is thrown, not returned. */
export class LedgerInvariantError extends Error {
  override readonly name = 'LedgerInvariantError';
  constructor(
    readonly code: LedgerInvariantCode,
    message: string,
  ) {
    super(message);
  }
}

function assertLineWellFormed(line: PostingLine, lineNumber: number): void {
  const where = `Line ${lineNumber} (${line.accountCode})`;
  for (const [side, amount] of [
    ['debit', line.debitPence],
    ['credit', line.creditPence],
  ] as const) {
    if (!Number.isSafeInteger(amount)) {
      const message = `${where}: ${side} must be a whole number of pence; got ${amount}`;
      throw new LedgerInvariantError('amount_not_safe_integer', message);
    }
    if (amount < 0) {
      const message = `${where}: ${side} must not be negative; got ${amount}`;
      throw new LedgerInvariantError('negative_amount', message);
    }
  }
  if (line.debitPence > 0 === line.creditPence > 0) {
    const message = `${where}: exactly one of debit and credit must be positive; got debit ${line.debitPence}, credit ${line.creditPence}`;
    throw new LedgerInvariantError('not_one_sided', message);
  }
}

/**
 * Throws unless the journal has at least two lines, each with exactly one positive side in
 * whole pence, and its debits equal its credits. Totals are checked to stay safe integers
 * too, so a sum can never silently lose pence.
 */
export function assertBalanced(lines: readonly PostingLine[]): void {
  if (lines.length < 2) {
    const message = `A journal needs at least 2 lines; got ${lines.length}`;
    throw new LedgerInvariantError('too_few_lines', message);
  }
  let debitTotalPence = 0;
  let creditTotalPence = 0;
  lines.forEach((line, index) => {
    assertLineWellFormed(line, index + 1);
    debitTotalPence += line.debitPence;
    creditTotalPence += line.creditPence;
  });
  if (!Number.isSafeInteger(debitTotalPence) || !Number.isSafeInteger(creditTotalPence)) {
    const message = 'Journal totals exceed the safe integer range';
    throw new LedgerInvariantError('amount_not_safe_integer', message);
  }
  if (debitTotalPence !== creditTotalPence) {
    const message = `Journal does not balance: debits ${debitTotalPence} pence, credits ${creditTotalPence} pence`;
    throw new LedgerInvariantError('unbalanced', message);
  }
}

/** The reversing journal: the same lines (and their details) with debit and credit swapped. */
export function reversalOf<Line extends PostingLine>(lines: readonly Line[]): Line[] {
  return lines.map((line) => ({
    ...line,
    debitPence: line.creditPence,
    creditPence: line.debitPence,
  }));
}

/**
 * Net movement per account, debits positive and credits negative. A Map, not an object, so
 * that no account code can collide with an object's built-in keys.
 */
export function netPenceByAccount(lines: readonly PostingLine[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const line of lines) {
    net.set(
      line.accountCode,
      (net.get(line.accountCode) ?? 0) + line.debitPence - line.creditPence,
    );
  }
  return net;
}
