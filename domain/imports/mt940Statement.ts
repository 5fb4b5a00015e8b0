import type { ImportErrorLog } from './errors';
import type { Mt940Entry } from './mt940Fields';
import type { EntrySum, StatementNumber } from './mt940ReportFields';
import {
  accountName,
  checkDeclared,
  checkRunsOn,
  controlOf,
  type Previous,
  pounds,
  type Side,
  type Statement,
} from './mt940StatementChecks';
import type { ParseControl, StatementControl } from './types';

/**
 * The bookkeeping of MT940 statements and MT942 interim reports, one :20: at a time.
 * - A statement must open (:60F:/:60M:) and close (:62F:/:62M:), and opening + entries must
 *   equal closing, exactly, in pence. An MT942 report (it has :13D:/:34F: and no opening)
 *   has no balances; its :90D:/:90C: count and sum, when given, must match its entries.
 * - Consecutive statements of one account run on: each opening equals the previous closing,
 *   and :28C: numbers advance by one (the sequence within a split statement, or the statement
 *   number with the sequence back at 1; after a :62M: the same statement must continue).
 *   Statement number 0 means the bank does not number, and is not checked.
 * - Currency: sterling, or the one the profile names for the account (`expectedCurrency`).
 * Once something of a statement could not be read, sums that depend on it are not compared
 * (that thing's own error already refuses the file).
 */

export class Mt940Book {
  private readonly closed: StatementControl[] = [];
  private readonly previousByAccount = new Map<string, Previous>();
  private current: Statement | null = null;

  constructor(
    private readonly errors: ImportErrorLog,
    private readonly expectedCurrency: (accountId: string) => string,
  ) {}

  get isOpen(): boolean {
    return this.current !== null;
  }

  get accountId(): string {
    return this.current?.accountId ?? '';
  }

  get currency(): string | undefined {
    return this.current?.currency ?? undefined;
  }

  get hasClosing(): boolean {
    return this.current?.closing != null;
  }

  open(lineNo: number): void {
    this.current = {
      lineNo,
      accountId: '',
      number: null,
      currency: null,
      opening: null,
      closing: null,
      netPence: 0,
      entryCount: 0,
      unreadableCount: 0,
      availablePence: undefined,
      forwardAvailablePence: undefined,
      interimTagSeen: false,
      tally: { debit: { count: 0, amountPence: 0 }, credit: { count: 0, amountPence: 0 } },
      declared: {},
    };
  }

  setAccount(accountId: string): void {
    if (this.current) this.current.accountId = accountId;
  }

  setNumber(number: StatementNumber, lineNo: number): void {
    if (this.current) this.current.number = { ...number, lineNo };
  }

  /** Checks a currency met on `lineNo`; false (and an error) when it is not acceptable. */
  useCurrency(currency: string, lineNo: number): boolean {
    const statement = this.current;
    if (statement === null) return true;
    if (statement.currency !== null) {
      if (currency === statement.currency) return true;
      const message = `The currency ${currency} differs from the statement's ${statement.currency}`;
      this.errors.add(lineNo, message, 'currency');
      return false;
    }
    statement.currency = currency;
    const expected = this.expectedCurrency(statement.accountId);
    if (currency === expected) return true;
    const account = `Account ${accountName(statement.accountId)} is in ${currency}`;
    const why = expected === 'GBP' ? 'the ledger is in pounds' : `its profile expects ${expected}`;
    this.errors.add(lineNo, `${account}; ${why}`, 'currency');
    return false;
  }

  setOpening(amountPence: number, final: boolean, lineNo: number): void {
    if (this.current) this.current.opening = { amountPence, final, lineNo };
  }

  setClosing(amountPence: number, final: boolean, lineNo: number): void {
    if (this.current) this.current.closing = { amountPence, final, lineNo };
  }

  setAvailable(kind: 'available' | 'forwardAvailable', amountPence: number): void {
    const statement = this.current;
    if (statement === null) return;
    if (kind === 'available') statement.availablePence = amountPence;
    else statement.forwardAvailablePence ??= amountPence;
  }

  /** A tag only MT942 has (:13D:, :34F:): without an opening balance, this is a report. */
  interimTag(): void {
    if (this.current) this.current.interimTagSeen = true;
  }

  declare(side: Side, sum: EntrySum, lineNo: number): void {
    if (this.current) this.current.declared[side] = { ...sum, lineNo };
  }

  addEntry(entry: Mt940Entry): void {
    const statement = this.current;
    if (statement === null) return;
    statement.netPence += entry.amountPence;
    statement.entryCount++;
    const tally = statement.tally[entry.moneyOut ? 'debit' : 'credit'];
    tally.count++;
    tally.amountPence += Math.abs(entry.amountPence);
  }

  /** Something of this statement could not be read: sums over it are not compared. */
  unreadable(): void {
    if (this.current) this.current.unreadableCount++;
  }

  /** Ends the statement at its next :20:, the end of its message or of the file. */
  close(): void {
    const statement = this.current;
    if (statement === null) return;
    this.current = null;
    const interim = statement.opening === null && statement.interimTagSeen;
    const readable = statement.unreadableCount === 0;
    if (readable) checkDeclared(this.errors, statement);
    if (interim) {
      this.closed.push(controlOf(statement, { opening: 0, closing: statement.netPence, interim }));
      return;
    }
    const { opening, closing } = statement;
    if (readable && opening === null) {
      this.errors.add(statement.lineNo, 'The statement has no opening balance', 'openingBalance');
    }
    if (readable && closing === null) {
      this.errors.add(statement.lineNo, 'The statement has no closing balance', 'closingBalance');
    }
    if (opening === null || closing === null) return;
    const expectedPence = opening.amountPence + statement.netPence;
    if (readable && expectedPence !== closing.amountPence) {
      const message = `The statement does not balance: opening ${pounds(opening.amountPence)} + entries ${pounds(statement.netPence)} = ${pounds(expectedPence)}, but the closing balance is ${pounds(closing.amountPence)}`;
      this.errors.add(closing.lineNo, message, 'closingBalance');
    }
    const previous = this.previousByAccount.get(statement.accountId);
    this.previousByAccount.set(statement.accountId, { closing, number: statement.number });
    checkRunsOn(this.errors, previous, statement, opening);
    const balances = { opening: opening.amountPence, closing: closing.amountPence, interim };
    this.closed.push(controlOf(statement, balances));
  }

  control(): ParseControl {
    const [only] = this.closed;
    if (only === undefined || this.closed.length > 1 || only.interim === true) {
      return { statements: [...this.closed] };
    }
    return {
      openingBalancePence: only.openingBalancePence,
      closingBalancePence: only.closingBalancePence,
      statements: [...this.closed],
    };
  }
}
