import { penceToDecimal } from './decimal';
import type { ImportErrorLog } from './errors';
import type { ParseControl, StatementControl } from './types';

/**
 * Bank statement bookkeeping shared by MT940 and CAMT.053: each statement must have an
 * opening and a closing balance, and opening + signed entries must equal closing, exactly, in
 * pence. When an entry could not be read its amount is unknown, so the balance is not compared
 * (that entry's own error already refuses the file).
 */

/** Councils bank in sterling; an entry in any other currency is not income we can post. */
export const acceptedCurrency = 'GBP';

/** What is wrong with one field of a statement element, before it is tied to a line. */
export type FieldProblem = { field: string; message: string };

type OpenStatement = {
  lineNo: number;
  accountId: string;
  openingBalancePence: number | null;
  netPence: number;
  entryCount: number;
  /** Entries or balances that could not be read: the balance cannot then be compared. */
  unreadableCount: number;
};

function pounds(amountPence: number): string {
  return penceToDecimal(amountPence, '.');
}

export class StatementBook {
  private readonly closed: StatementControl[] = [];
  private current: OpenStatement | null = null;

  constructor(private readonly errors: ImportErrorLog) {}

  get isOpen(): boolean {
    return this.current !== null;
  }

  get accountId(): string {
    return this.current?.accountId ?? '';
  }

  open(lineNo: number, accountId = ''): void {
    this.current = {
      lineNo,
      accountId,
      openingBalancePence: null,
      netPence: 0,
      entryCount: 0,
      unreadableCount: 0,
    };
  }

  setAccount(accountId: string): void {
    if (this.current) this.current.accountId = accountId;
  }

  setOpening(amountPence: number): void {
    if (this.current) this.current.openingBalancePence = amountPence;
  }

  addEntry(amountPence: number): void {
    if (!this.current) return;
    this.current.netPence += amountPence;
    this.current.entryCount++;
  }

  /** An entry or balance of this statement was reported as unreadable. */
  unreadable(): void {
    if (this.current) this.current.unreadableCount++;
  }

  /**
   * Closes the statement on its closing balance (null when it has none, reported on the
   * statement's first line) and checks that it balances; a mismatch is reported on `lineNo`.
   */
  close(closingBalancePence: number | null, lineNo: number): void {
    const statement = this.current;
    if (statement === null) return;
    this.current = null;
    const { openingBalancePence, netPence } = statement;
    // A balance that was there but unreadable has its own error; "missing" would mislead.
    const anyUnreadable = statement.unreadableCount > 0;
    if (openingBalancePence === null && !anyUnreadable) {
      this.errors.add(statement.lineNo, 'The statement has no opening balance', 'openingBalance');
    }
    if (closingBalancePence === null && !anyUnreadable) {
      this.errors.add(statement.lineNo, 'The statement has no closing balance', 'closingBalance');
    }
    if (openingBalancePence === null || closingBalancePence === null) return;
    const expectedPence = openingBalancePence + netPence;
    if (!anyUnreadable && expectedPence !== closingBalancePence) {
      const message = `The statement does not balance: opening ${pounds(openingBalancePence)} + entries ${pounds(netPence)} = ${pounds(expectedPence)}, but the closing balance is ${pounds(closingBalancePence)}`;
      this.errors.add(lineNo, message, 'closingBalance');
    }
    this.closed.push({
      lineNo: statement.lineNo,
      accountId: statement.accountId,
      openingBalancePence,
      closingBalancePence,
      entryCount: statement.entryCount,
    });
  }

  control(): ParseControl {
    const [only] = this.closed;
    if (only === undefined || this.closed.length > 1) return { statements: [...this.closed] };
    return {
      openingBalancePence: only.openingBalancePence,
      closingBalancePence: only.closingBalancePence,
      statements: [...this.closed],
    };
  }
}
