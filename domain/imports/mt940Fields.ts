import { isoDate, parseFileDate } from './dates';
import { decimalToPence } from './decimal';
import type { FieldProblem } from './statements';

/**
 * The fields of MT940 balance (:60F: :62F: :64: :65:) and statement line (:61:) tags. Amounts
 * use a decimal comma ('1234,5' is 1,234.50) and are read without floating point. Signs: C is
 * money in (+), D money out (−); on a statement line RC (reversal of a credit) is money out
 * and RD (reversal of a debit) money in. Currencies are returned, not judged: which currency
 * an account may be in is the statement's business (mt940Statement.ts).
 */

export type Mt940Balance = { date: string; currency: string; amountPence: number };

export type Mt940Entry = {
  valueDate: string;
  /** The optional MMDD entry (booking) date, as YYYY-MM-DD in the year nearest the value date. */
  entryDate: string | undefined;
  /** Signed: negative for D and RC. */
  amountPence: number;
  moneyOut: boolean;
  reversal: boolean;
  /** The optional third letter of the currency code (e.g. 'P' of GBP). */
  fundsCode: string | undefined;
  transactionType: string;
  customerReference: string;
  bankReference: string | undefined;
  /** Subfield 9, on the :61: tag's second line (up to 34 characters). */
  supplementaryDetails: string | undefined;
};

// Compiled once: D/C mark, YYMMDD, currency, amount.
const balancePattern = /^([CD])(\d{6})([A-Z]{3})([0-9,]+)$/;
// Value date, optional entry date (MMDD), mark, optional funds code, amount, type, references.
const entryPattern = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?([0-9,]+)([A-Z][A-Z0-9]{3})(.*)$/;
const dayMs = 86_400_000;

export function amountPenceOf(text: string): number | FieldProblem {
  const amountPence = decimalToPence(text, ',');
  if (amountPence === null) {
    return { field: 'amount', message: `The amount "${text}" is not a decimal-comma amount` };
  }
  return amountPence;
}

export function parseBalance(text: string): Mt940Balance | FieldProblem {
  const match = balancePattern.exec(text.trim());
  if (match === null) {
    return { field: 'balance', message: 'A balance must be C or D, YYMMDD, currency, amount' };
  }
  const [, mark = 'C', dateText = '', currency = '', amountText = ''] = match;
  const date = parseFileDate(dateText, 'YYMMDD');
  if (date === null) return { field: 'date', message: `"${dateText}" is not a real YYMMDD date` };
  const amountPence = amountPenceOf(amountText);
  if (typeof amountPence !== 'number') return amountPence;
  const signedPence = mark === 'D' && amountPence !== 0 ? -amountPence : amountPence;
  return { date, currency, amountPence: signedPence };
}

/**
 * The entry date has no year: it is the MMDD nearest the value date (an entry booked on
 * 2 January for value 31 December is in the next year). Null when no year makes it a day.
 */
export function entryDateNear(valueDate: string, monthDay: string): string | null {
  const year = Number(valueDate.slice(0, 4));
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(2, 4));
  const valueMs = Date.parse(valueDate);
  let nearest: string | null = null;
  let nearestMs = Number.POSITIVE_INFINITY;
  for (const candidateYear of [year - 1, year, year + 1]) {
    const candidate = isoDate(candidateYear, month, day);
    if (candidate === null) continue;
    const distanceMs = Math.abs(Date.parse(candidate) - valueMs);
    if (distanceMs < nearestMs) [nearest, nearestMs] = [candidate, distanceMs];
  }
  return nearestMs <= 366 * dayMs ? nearest : null;
}

function references(rest: string): { customer: string; bank: string | undefined } {
  const separator = rest.indexOf('//');
  const customer = (separator < 0 ? rest : rest.slice(0, separator)).trim();
  const bank = separator < 0 ? '' : rest.slice(separator + 2).trim();
  return { customer: customer === 'NONREF' ? '' : customer, bank: bank === '' ? undefined : bank };
}

/** Reads a :61: tag: its first line, and the supplementary details on a second line if any. */
export function parseStatementLine(text: string): Mt940Entry | FieldProblem {
  const [firstLine = '', secondLine] = text.split('\n', 2);
  const match = entryPattern.exec(firstLine.trim());
  if (match === null) {
    const message = 'A statement line must be YYMMDD[MMDD], C/D/RC/RD, amount, type, reference';
    return { field: 'statementLine', message };
  }
  const [, dateText = '', monthDay, mark = 'C', fundsCode, amountText = '', type = '', rest = ''] =
    match;
  const valueDate = parseFileDate(dateText, 'YYMMDD');
  if (valueDate === null) return { field: 'date', message: `"${dateText}" is not a real date` };
  const entryDate = monthDay === undefined ? undefined : entryDateNear(valueDate, monthDay);
  if (entryDate === null) {
    return { field: 'entryDate', message: `"${monthDay}" is not a real MMDD entry date` };
  }
  const amountPence = amountPenceOf(amountText);
  if (typeof amountPence !== 'number') return amountPence;
  const moneyOut = mark === 'D' || mark === 'RC';
  const { customer, bank } = references(rest);
  const supplementaryDetails = secondLine?.trim();
  return {
    valueDate,
    entryDate,
    amountPence: moneyOut && amountPence !== 0 ? -amountPence : amountPence,
    moneyOut,
    reversal: mark.startsWith('R'),
    fundsCode,
    transactionType: type,
    customerReference: customer,
    bankReference: bank,
    supplementaryDetails: supplementaryDetails === '' ? undefined : supplementaryDetails,
  };
}
