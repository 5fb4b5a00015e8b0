import { parseFileDate } from './dates';
import { decimalToPence } from './decimal';
import { acceptedCurrency, type FieldProblem } from './statements';

/**
 * The fields of MT940 balance (:60F: :62F:) and statement line (:61:) tags. Amounts use a
 * decimal comma ('1234,5' is £1,234.50) and are read without floating point. Signs: C is
 * money in (+), D money out (−); on a statement line RC (reversal of a credit) is money out
 * and RD (reversal of a debit) money in.
 */

export type Mt940Balance = { date: string; amountPence: number };

export type Mt940Entry = {
  valueDate: string;
  amountPence: number;
  transactionType: string;
  customerReference: string;
  bankReference: string | undefined;
};

// Compiled once: D/C mark, YYMMDD, currency, amount.
const balancePattern = /^([CD])(\d{6})([A-Z]{3})([0-9,]+)$/;
// Value date, optional entry date (MMDD), mark, optional funds code, amount, type, references.
const entryPattern = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?([0-9,]+)([A-Z][A-Z0-9]{3})(.*)$/;

function amountPenceOf(text: string): number | FieldProblem {
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
  if (currency !== acceptedCurrency) {
    return { field: 'currency', message: `The currency is ${currency}; only GBP is accepted` };
  }
  const date = parseFileDate(dateText, 'YYMMDD');
  if (date === null) return { field: 'date', message: `"${dateText}" is not a real YYMMDD date` };
  const amountPence = amountPenceOf(amountText);
  if (typeof amountPence !== 'number') return amountPence;
  return { date, amountPence: mark === 'D' && amountPence !== 0 ? -amountPence : amountPence };
}

/** Reads the first line of a :61: tag; a second line (supplementary details) is not needed. */
export function parseStatementLine(text: string): Mt940Entry | FieldProblem {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const match = entryPattern.exec(firstLine.trim());
  if (match === null) {
    const message = 'A statement line must be YYMMDD[MMDD], C/D/RC/RD, amount, type, reference';
    return { field: 'statementLine', message };
  }
  const [, dateText = '', , mark = 'C', , amountText = '', transactionType = '', rest = ''] = match;
  const valueDate = parseFileDate(dateText, 'YYMMDD');
  if (valueDate === null) return { field: 'date', message: `"${dateText}" is not a real date` };
  const amountPence = amountPenceOf(amountText);
  if (typeof amountPence !== 'number') return amountPence;
  const moneyOut = mark === 'D' || mark === 'RC';
  const separator = rest.indexOf('//');
  const customerReference = (separator < 0 ? rest : rest.slice(0, separator)).trim();
  const bankReference = separator < 0 ? undefined : rest.slice(separator + 2).trim();
  return {
    valueDate,
    amountPence: moneyOut && amountPence !== 0 ? -amountPence : amountPence,
    transactionType,
    customerReference: customerReference === 'NONREF' ? '' : customerReference,
    bankReference: bankReference === '' ? undefined : bankReference,
  };
}
