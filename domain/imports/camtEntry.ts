import { type Remittance, remittanceOf } from './camtRemittance';
import { attributeOf, childAt, elementsOf, textOf, type XmlElement } from './camtXml';
import { parseFileDate } from './dates';
import { decimalToPence, penceToDecimal } from './decimal';
import type { FieldProblem } from './statements';
import type { ImportRow } from './types';

/**
 * Reads CAMT balances and entries (camt.052/053/054 share them). An amount is a decimal string
 * with a Ccy attribute and a separate CdtDbtInd: CRDT is money in (+), DBIT money out (−); for
 * a reversal (RvslInd true) the indicator already gives the direction of this entry. Dates are
 * BookgDt, else ValDt (Dt, or the date part of DtTm).
 *
 * A batched entry (NtryDtls with two or more TxDtls) is split into one row per transaction
 * when the bank gives every transaction's amount (TxDtls/Amt, or AmtDtls/TxAmt, or
 * AmtDtls/InstdAmt in the account's currency); their signed sum must equal the entry's amount.
 * Otherwise the entry is one row, with the remittance of all its transactions.
 */

/** A problem with part of an element: `at` is its path below the element ('' for itself). */
export type CamtProblem = FieldProblem & { at: string; node?: XmlElement };

/** The account an amount must be in: its id names it in messages. */
export type AmountContext = { accountId: string; currency: string };

export type SignedAmount = { amountPence: number };

function pounds(amountPence: number): string {
  return penceToDecimal(amountPence, '.');
}

/** The amount at `path` below `node`, signed by `indicatorNode`'s CdtDbtInd. */
export function signedAmountOf(
  node: unknown,
  context: AmountContext,
  path = 'Amt',
  indicatorNode: unknown = node,
): SignedAmount | CamtProblem {
  const amount = childAt(node, ...path.split('/'));
  const currency = attributeOf(amount, 'Ccy');
  if (currency === undefined) {
    return { field: 'currency', at: path, message: 'The amount has no Ccy attribute' };
  }
  if (currency !== context.currency) {
    const message = `The amount is in ${currency}, but the account ${context.accountId} is in ${context.currency}`;
    return { field: 'currency', at: path, message };
  }
  const text = textOf(amount) ?? '';
  const amountPence = text.startsWith('-') ? null : decimalToPence(text, '.');
  if (amountPence === null) {
    return { field: 'amount', at: path, message: `The amount "${text}" is not a decimal amount` };
  }
  const indicator = textOf(childAt(indicatorNode, 'CdtDbtInd'));
  if (indicator !== 'CRDT' && indicator !== 'DBIT') {
    return { field: 'creditDebit', at: 'CdtDbtInd', message: 'CdtDbtInd must be CRDT or DBIT' };
  }
  return { amountPence: indicator === 'DBIT' && amountPence !== 0 ? -amountPence : amountPence };
}

export type BalanceKind = 'opening' | 'closing' | 'interim' | 'available' | 'forwardAvailable';

/**
 * OPBD (or PRCD, the previous closing) opens a statement and CLBD closes it; ITBD is an
 * interim booked balance (intraday reports), CLAV and FWAV the closing and forward available
 * balances. Other types (ITAV, INFO…) are not kept.
 */
export function balanceKind(balance: XmlElement): BalanceKind | 'other' {
  const code = textOf(childAt(balance, 'Tp', 'CdOrPrtry', 'Cd'));
  switch (code) {
    case 'OPBD':
    case 'PRCD':
      return 'opening';
    case 'CLBD':
      return 'closing';
    case 'ITBD':
      return 'interim';
    case 'CLAV':
      return 'available';
    case 'FWAV':
      return 'forwardAvailable';
    default:
      return 'other';
  }
}

/** Entries not yet booked (pending, information only) do not move the booked balances. */
export function isBooked(entry: XmlElement): boolean {
  const status = childAt(entry, 'Sts');
  const code = textOf(status) ?? textOf(childAt(status, 'Cd'));
  return code === undefined || code === 'BOOK';
}

/** The date of `name` (its Dt or DtTm): undefined when absent, null when not a real date. */
function dateAt(node: XmlElement, name: string): string | null | undefined {
  const text = textOf(childAt(node, name, 'Dt')) ?? textOf(childAt(node, name, 'DtTm'));
  if (text === undefined) return undefined;
  return text.length >= 10 ? parseFileDate(text, 'YYYY-MM-DD') : null;
}

function channelOf(node: unknown): string | undefined {
  const codes = childAt(node, 'BkTxCd');
  const proprietary = textOf(childAt(codes, 'Prtry', 'Cd'));
  if (proprietary !== undefined) return proprietary;
  const domain = textOf(childAt(codes, 'Domn', 'Cd'));
  const family = textOf(childAt(codes, 'Domn', 'Fmly', 'Cd'));
  const subFamily = textOf(childAt(codes, 'Domn', 'Fmly', 'SubFmlyCd'));
  return domain && family && subFamily ? `${domain}/${family}/${subFamily}` : undefined;
}

type Transaction = { node: XmlElement; at: string };

function transactionsOf(entry: XmlElement): Transaction[] {
  return elementsOf(entry, 'NtryDtls').flatMap((details, i) =>
    elementsOf(details, 'TxDtls').map((node, j) => ({
      node,
      at: `NtryDtls[${i + 1}]/TxDtls[${j + 1}]`,
    })),
  );
}

/** Where a transaction states its own amount in the account's currency, if it does. */
function transactionAmountPath(transaction: XmlElement, currency: string): string | undefined {
  if (childAt(transaction, 'Amt') !== undefined) return 'Amt';
  if (childAt(transaction, 'AmtDtls', 'TxAmt', 'Amt') !== undefined) return 'AmtDtls/TxAmt/Amt';
  const instructed = childAt(transaction, 'AmtDtls', 'InstdAmt', 'Amt');
  return attributeOf(instructed, 'Ccy') === currency ? 'AmtDtls/InstdAmt/Amt' : undefined;
}

/** Each transaction's signed amount when the entry is to be split; null when it is not. */
function splitAmounts(
  entry: XmlElement,
  entryPence: number,
  context: AmountContext,
): number[] | CamtProblem[] | null {
  const transactions = transactionsOf(entry);
  if (transactions.length < 2) return null;
  const paths = transactions.map(({ node }) => transactionAmountPath(node, context.currency));
  if (paths.some((path) => path === undefined)) return null;
  const amounts: number[] = [];
  const problems: CamtProblem[] = [];
  transactions.forEach(({ node, at }, index) => {
    const indicatorNode = childAt(node, 'CdtDbtInd') === undefined ? entry : node;
    const amount = signedAmountOf(node, context, paths[index], indicatorNode);
    if ('message' in amount) problems.push({ ...amount, at: `${at}/${amount.at}`, node });
    else amounts.push(amount.amountPence);
  });
  if (problems.length > 0) return problems;
  const sumPence = amounts.reduce((sum, amount) => sum + amount, 0);
  if (sumPence !== entryPence) {
    const message = `The ${amounts.length} transactions add up to ${pounds(sumPence)}, but the entry amount is ${pounds(entryPence)}`;
    return [{ field: 'amount', at: 'NtryDtls', message }];
  }
  return amounts;
}

/** A row of an entry and the element it came from (the Ntry, or a TxDtls when split). */
export type RowDraft = { node: XmlElement; row: ImportRow };

export type EntryRead = { amountPence: number; drafts: RowDraft[] };

function datesOf(entry: XmlElement, problems: CamtProblem[]) {
  const booking = dateAt(entry, 'BookgDt');
  const value = dateAt(entry, 'ValDt');
  const transactionDate = booking === undefined ? value : booking;
  if (transactionDate === null || transactionDate === undefined) {
    const at = booking === undefined ? 'ValDt' : 'BookgDt';
    problems.push({ field: 'date', at, message: 'BookgDt or ValDt must hold a YYYY-MM-DD date' });
  } else if (value === null) {
    problems.push({
      field: 'valueDate',
      at: 'ValDt',
      message: 'ValDt must hold a YYYY-MM-DD date',
    });
  }
  return { transactionDate, valueDate: value ?? undefined };
}

type EntryFacts = { transactionDate: string; valueDate?: string; context: AmountContext };

function draftOf(
  entry: XmlElement,
  node: XmlElement,
  amountPence: number,
  remittance: Remittance,
  facts: EntryFacts,
): RowDraft {
  const row: ImportRow = {
    lineNo: 0,
    reference: remittance.reference,
    amountPence,
    narrative: remittance.narrative,
    transactionDate: facts.transactionDate,
    fundCode: null,
    accountId: facts.context.accountId,
    currency: facts.context.currency,
  };
  const channel = channelOf(node) ?? channelOf(entry);
  if (channel !== undefined) row.channel = channel;
  if (remittance.bankReference !== undefined) row.bankReference = remittance.bankReference;
  if (facts.valueDate !== undefined) row.valueDate = facts.valueDate;
  if (remittance.endToEndId !== undefined) row.endToEndId = remittance.endToEndId;
  if (remittance.details !== undefined) row.details = remittance.details;
  const reversal = textOf(childAt(entry, 'RvslInd'));
  if (reversal === 'true' || reversal === '1') row.reversal = true;
  return { node, row };
}

/**
 * The rows of a booked entry (`lineNo` left 0 for the caller to set), or the problems that
 * stop it being read.
 */
export function readEntry(entry: XmlElement, context: AmountContext): EntryRead | CamtProblem[] {
  const problems: CamtProblem[] = [];
  const amount = signedAmountOf(entry, context);
  if ('message' in amount) problems.push(amount);
  const { transactionDate, valueDate } = datesOf(entry, problems);
  if ('message' in amount || typeof transactionDate !== 'string') return problems;
  if (problems.length > 0) return problems;
  const split = splitAmounts(entry, amount.amountPence, context);
  if (split?.some((part) => typeof part !== 'number')) {
    return split as CamtProblem[];
  }
  const facts: EntryFacts = { transactionDate, context };
  if (valueDate !== undefined) facts.valueDate = valueDate;
  const transactions = transactionsOf(entry).map(({ node }) => node);
  const drafts =
    split === null
      ? [draftOf(entry, entry, amount.amountPence, remittanceOf(entry, transactions, false), facts)]
      : transactions.map((node, index) =>
          draftOf(entry, node, split[index] as number, remittanceOf(entry, [node], true), facts),
        );
  return { amountPence: amount.amountPence, drafts };
}
