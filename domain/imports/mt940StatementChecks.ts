import { penceToDecimal } from './decimal';
import type { ImportErrorLog } from './errors';
import type { EntrySum, StatementNumber } from './mt940ReportFields';
import type { StatementControl } from './types';

/**
 * The checks and figures of one closed MT940 statement or MT942 report (mt940Statement.ts
 * keeps the statements; this says what is wrong with them and what they showed).
 */

export type Placed = { amountPence: number; final: boolean; lineNo: number };
export type Tally = { count: number; amountPence: number };
export type Declared = EntrySum & { lineNo: number };
export type Numbered = StatementNumber & { lineNo: number };
export type Side = 'debit' | 'credit';

export type Statement = {
  lineNo: number;
  accountId: string;
  number: Numbered | null;
  currency: string | null;
  opening: Placed | null;
  closing: Placed | null;
  netPence: number;
  entryCount: number;
  unreadableCount: number;
  availablePence: number | undefined;
  forwardAvailablePence: number | undefined;
  interimTagSeen: boolean;
  tally: Record<Side, Tally>;
  declared: Partial<Record<Side, Declared>>;
};

export type Previous = { closing: Placed; number: Numbered | null };

export function pounds(amountPence: number): string {
  return penceToDecimal(amountPence, '.');
}

function numberText(number: StatementNumber): string {
  const { statementNumber, sequenceNumber } = number;
  return sequenceNumber === undefined ? statementNumber : `${statementNumber}/${sequenceNumber}`;
}

export function accountName(accountId: string): string {
  return accountId === '' ? '(no :25:)' : accountId;
}

/** Whether `next` runs on from `previous` (see the module comment). */
function runsOn(previous: Previous, next: Numbered): boolean {
  const before = previous.number;
  if (before === null) return true;
  const [n1, n2] = [Number(before.statementNumber), Number(next.statementNumber)];
  if (n1 === 0 || n2 === 0) return true;
  const [s1, s2] = [Number(before.sequenceNumber ?? 1), Number(next.sequenceNumber ?? 1)];
  const continues = n2 === n1 && s2 === s1 + 1;
  if (!previous.closing.final) return continues;
  const nextStatement = (n2 === n1 + 1 || (n1 === 99999 && n2 === 1)) && s2 === 1;
  return continues || nextStatement;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function checkDeclared(errors: ImportErrorLog, statement: Statement): void {
  for (const side of ['debit', 'credit'] as const) {
    const declared = statement.declared[side];
    const tally = statement.tally[side];
    if (declared === undefined) continue;
    if (declared.count === tally.count && declared.amountPence === tally.amountPence) continue;
    const message = `The report declares ${plural(declared.count, side)} totalling ${pounds(declared.amountPence)}, but its entries are ${plural(tally.count, side)} totalling ${pounds(tally.amountPence)}`;
    errors.add(declared.lineNo, message, 'entrySum');
  }
}

/** Checks that a statement runs on from the previous one of its account (null: none yet). */
export function checkRunsOn(
  errors: ImportErrorLog,
  previous: Previous | undefined,
  statement: Statement,
  opening: Placed,
): void {
  if (previous === undefined) return;
  const account = accountName(statement.accountId);
  if (opening.amountPence !== previous.closing.amountPence) {
    const message = `The opening balance ${pounds(opening.amountPence)} of account ${account} does not continue the closing balance ${pounds(previous.closing.amountPence)} on line ${previous.closing.lineNo}`;
    errors.add(opening.lineNo, message, 'openingBalance');
  }
  const number = statement.number;
  if (number !== null && previous.number !== null && !runsOn(previous, number)) {
    const message = `Statement ${numberText(number)} of account ${account} does not follow on from statement ${numberText(previous.number)} on line ${previous.number.lineNo}`;
    errors.add(number.lineNo, message, 'statementNumber');
  }
}

export function controlOf(
  statement: Statement,
  balances: { opening: number; closing: number; interim: boolean },
): StatementControl {
  const control: StatementControl = {
    lineNo: statement.lineNo,
    accountId: statement.accountId,
    openingBalancePence: balances.opening,
    closingBalancePence: balances.closing,
    entryCount: statement.entryCount,
  };
  if (statement.currency !== null) control.currency = statement.currency;
  if (statement.number !== null) {
    control.statementNumber = statement.number.statementNumber;
    if (statement.number.sequenceNumber !== undefined) {
      control.sequenceNumber = statement.number.sequenceNumber;
    }
  }
  if (statement.availablePence !== undefined) {
    control.availableBalancePence = statement.availablePence;
  }
  if (statement.forwardAvailablePence !== undefined) {
    control.forwardAvailableBalancePence = statement.forwardAvailablePence;
  }
  if (balances.interim) control.interim = true;
  return control;
}
