import { attributeOf, childAt, elementsOf, textOf, textsOf, type XmlElement } from './camtXml';
import { parseFileDate } from './dates';
import { decimalToPence } from './decimal';
import { acceptedCurrency, type FieldProblem } from './statements';
import type { ImportRow } from './types';

/**
 * Reads CAMT.053 balances and entries. An amount is a decimal string with a Ccy attribute
 * (GBP only) and a separate CdtDbtInd: CRDT is money in (+), DBIT money out (−); for a
 * reversal the indicator already gives the direction of this entry. An entry's row takes:
 * - reference: Strd/CdtrRefInf/Ref, else the first Ustrd, else EndToEndId (unless
 *   NOTPROVIDED), else '';
 * - narrative: every Ustrd, joined with spaces, else AddtlNtryInf;
 * - bankReference: AcctSvcrRef (entry, else transaction), else EndToEndId;
 * - date: BookgDt, else ValDt (Dt, or the date part of DtTm).
 * One row per Ntry: a batch entry's TxDtls are not split, because the statement balances
 * by entry and reconciliation matches entries.
 */

export type SignedAmount = { amountPence: number } | FieldProblem;

export function signedAmountOf(node: XmlElement): SignedAmount {
  const amount = childAt(node, 'Amt');
  const currency = attributeOf(amount, 'Ccy');
  if (currency === undefined) {
    return { field: 'currency', message: 'The amount has no Ccy attribute' };
  }
  if (currency !== acceptedCurrency) {
    return { field: 'currency', message: `The currency is ${currency}; only GBP is accepted` };
  }
  const text = textOf(amount) ?? '';
  const amountPence = text.startsWith('-') ? null : decimalToPence(text, '.');
  if (amountPence === null) {
    return { field: 'amount', message: `The amount "${text}" is not a decimal amount` };
  }
  const indicator = textOf(childAt(node, 'CdtDbtInd'));
  if (indicator !== 'CRDT' && indicator !== 'DBIT') {
    return { field: 'creditDebit', message: 'CdtDbtInd must be CRDT or DBIT' };
  }
  return { amountPence: indicator === 'DBIT' && amountPence !== 0 ? -amountPence : amountPence };
}

/** OPBD (or PRCD, the previous closing) opens a statement and CLBD closes it. */
export function balanceKind(balance: XmlElement): 'opening' | 'closing' | 'other' {
  const code = textOf(childAt(balance, 'Tp', 'CdOrPrtry', 'Cd'));
  if (code === 'OPBD' || code === 'PRCD') return 'opening';
  return code === 'CLBD' ? 'closing' : 'other';
}

/** Entries not yet booked (pending, information only) do not move the booked balances. */
export function isBooked(entry: XmlElement): boolean {
  const status = childAt(entry, 'Sts');
  const code = textOf(status) ?? textOf(childAt(status, 'Cd'));
  return code === undefined || code === 'BOOK';
}

function dateOf(entry: XmlElement): string | null {
  for (const name of ['BookgDt', 'ValDt']) {
    const text = textOf(childAt(entry, name, 'Dt')) ?? textOf(childAt(entry, name, 'DtTm'));
    if (text !== undefined) return text.length >= 10 ? parseFileDate(text, 'YYYY-MM-DD') : null;
  }
  return null;
}

function transactions(entry: XmlElement): XmlElement[] {
  return elementsOf(entry, 'NtryDtls').flatMap((details) => elementsOf(details, 'TxDtls'));
}

function usable(text: string | undefined): string | undefined {
  return text === undefined || text === '' || text === 'NOTPROVIDED' ? undefined : text;
}

function referencesOf(entry: XmlElement) {
  const details = transactions(entry);
  const remittances = details.map((detail) => childAt(detail, 'RmtInf'));
  const unstructured = remittances.flatMap((remittance) => textsOf(remittance, 'Ustrd'));
  const structured = remittances
    .flatMap((remittance) => elementsOf(remittance, 'Strd'))
    .map((strd) => usable(textOf(childAt(strd, 'CdtrRefInf', 'Ref'))))
    .find((ref) => ref !== undefined);
  const endToEndId = usable(textOf(childAt(details[0], 'Refs', 'EndToEndId')));
  const servicerRef =
    usable(textOf(childAt(entry, 'AcctSvcrRef'))) ??
    usable(textOf(childAt(details[0], 'Refs', 'AcctSvcrRef')));
  return {
    reference: structured ?? unstructured[0] ?? endToEndId ?? '',
    narrative:
      unstructured.length > 0
        ? unstructured.join(' ')
        : (textOf(childAt(entry, 'AddtlNtryInf')) ?? ''),
    bankReference: servicerRef ?? endToEndId,
  };
}

function channelOf(entry: XmlElement): string | undefined {
  const codes = childAt(entry, 'BkTxCd');
  const proprietary = textOf(childAt(codes, 'Prtry', 'Cd'));
  if (proprietary !== undefined) return proprietary;
  const domain = textOf(childAt(codes, 'Domn', 'Cd'));
  const family = textOf(childAt(codes, 'Domn', 'Fmly', 'Cd'));
  const subFamily = textOf(childAt(codes, 'Domn', 'Fmly', 'SubFmlyCd'));
  return domain && family && subFamily ? `${domain}/${family}/${subFamily}` : undefined;
}

/** The row for a booked entry, or the problems that stop it being one. */
export function entryToRow(
  entry: XmlElement,
  lineNo: number,
  accountId: string,
): ImportRow | FieldProblem[] {
  const amount = signedAmountOf(entry);
  const transactionDate = dateOf(entry);
  const problems: FieldProblem[] = 'message' in amount ? [amount] : [];
  if (transactionDate === null) {
    problems.push({ field: 'date', message: 'BookgDt or ValDt must hold a YYYY-MM-DD date' });
  }
  if ('message' in amount || transactionDate === null) return problems;
  const { reference, narrative, bankReference } = referencesOf(entry);
  const row: ImportRow = {
    lineNo,
    reference,
    amountPence: amount.amountPence,
    narrative,
    transactionDate,
    fundCode: null,
    accountId,
  };
  const channel = channelOf(entry);
  if (channel !== undefined) row.channel = channel;
  if (bankReference !== undefined) row.bankReference = bankReference;
  return row;
}
