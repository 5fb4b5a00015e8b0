import type { CsvProfile } from './csvProfile';

/**
 * Ready profiles for the statement CSV exports of the four large UK business banking
 * services, so a council can reconcile from the file its bank's online service gives it. All
 * are `statement: true`: their lines go to bank reconciliation, nothing is posted. Layouts are
 * as the banks' guides and accounting-package import notes describe them (docs/imports.md,
 * "UK bank CSV statement exports", lists the sources and what we assumed where they are
 * silent). A council whose export differs copies a profile and changes it.
 */

/**
 * NatWest (and RBS) Bankline statement CSV: a header line and 18 columns: Sort Code, Account
 * Number, Account Alias, Account Short Name, Currency, Account Type, BIC, Bank Name, Branch
 * Name, Date (DD/MM/YY), Narrative #1 to #5, Type, Debit, Credit. Assumed: Narrative #1 holds
 * the payer's reference and Narrative #2 the payer's name or further detail.
 */
export const natwestBanklineCsvProfile: CsvProfile = {
  kind: 'csv',
  delimiter: ',',
  hasHeader: true,
  statement: true,
  columns: {
    reference: 'Narrative #1',
    narrative: 'Narrative #2',
    credit: 'Credit',
    debit: 'Debit',
    date: 'Date',
    accountId: 'Account Number',
    channel: 'Type',
  },
  dateFormat: 'DD/MM/YY',
  amountFormat: 'pounds',
};

/**
 * Lloyds Commercial Banking Online, "CSV (Balances and Transactions)" data export: a header
 * line and 8 columns: Post Date (DD/MM/YYYY), Account Number ("sortcode-account GBP"),
 * Account Name, Type, Amount (signed, "-" for money out), Customer Reference (up to 18
 * characters), Transaction Detail, Balance. Assumed: one line per transaction (balances are
 * the running Balance column, not lines of their own).
 */
export const lloydsCommercialCsvProfile: CsvProfile = {
  kind: 'csv',
  delimiter: ',',
  hasHeader: true,
  statement: true,
  columns: {
    reference: 'Customer Reference',
    narrative: 'Transaction Detail',
    amount: 'Amount',
    date: 'Post Date',
    accountId: 'Account Number',
    channel: 'Type',
  },
  dateFormat: 'DD/MM/YYYY',
  amountFormat: 'pounds',
};

/**
 * Barclays.Net "CSV Transactions": a title line ("Barclays.Net Transaction exported at …"),
 * then a header and 13 columns: GROUP, ACC ID, ACCOUNT NO, TYPE, BANK CODE, CURR, ENTRY DATE
 * (DD/MM/YY), AS AT, AMOUNT (signed), TLA CODE, CHEQUE NO, STATUS, DESCRIPTION. There is no
 * separate reference column: the payer's reference is within DESCRIPTION, which reference
 * routing and the import rules search.
 */
export const barclaysNetCsvProfile: CsvProfile = {
  kind: 'csv',
  delimiter: ',',
  hasHeader: true,
  skipRows: 1,
  statement: true,
  columns: {
    reference: 'DESCRIPTION',
    narrative: 'DESCRIPTION',
    amount: 'AMOUNT',
    date: 'ENTRY DATE',
    accountId: 'ACCOUNT NO',
    channel: 'TLA CODE',
  },
  dateFormat: 'DD/MM/YY',
  amountFormat: 'pounds',
};

/**
 * HSBCnet account information CSV export, read by position: sort code and account
 * ("123456-01234567"), transaction date, currency, amount (signed), description, transaction
 * type. Assumed: no header line, dates as DD/MM/YYYY; the description carries the customer
 * reference first (HSBC appends "/SREF/<bank reference>" to BACS credits).
 */
export const hsbcnetCsvProfile: CsvProfile = {
  kind: 'csv',
  delimiter: ',',
  hasHeader: false,
  statement: true,
  columns: { accountId: 0, date: 1, amount: 3, reference: 4, narrative: 4, channel: 5 },
  dateFormat: 'DD/MM/YYYY',
  amountFormat: 'pounds',
};

/** The four, as saved import profiles: every council gets them (seed and onboarding). */
export const bankCsvImportProfiles = [
  {
    id: 'natwest-bankline-csv',
    name: 'NatWest Bankline statement CSV',
    definition: natwestBanklineCsvProfile,
  },
  {
    id: 'lloyds-cbo-csv',
    name: 'Lloyds Commercial Banking Online statement CSV',
    definition: lloydsCommercialCsvProfile,
  },
  { id: 'barclays-net-csv', name: 'Barclays.Net statement CSV', definition: barclaysNetCsvProfile },
  { id: 'hsbcnet-csv', name: 'HSBCnet statement CSV', definition: hsbcnetCsvProfile },
].map((profile) => ({
  ...profile,
  kind: 'csv' as const,
  definition: profile.definition as unknown as Record<string, unknown>,
  // Statement lines post nothing; these say what a line would be if it ever were posted.
  methodOfPaymentCode: 'BT',
  clearingAccountCode: 'CTRL:BANK',
}));
