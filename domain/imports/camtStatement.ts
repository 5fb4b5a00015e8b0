import { type AmountContext, balanceKind, type CamtProblem, signedAmountOf } from './camtEntry';
import { attributeOf, childAt, elementsOf, textOf, type XmlElement } from './camtXml';
import { acceptedCurrency } from './statements';
import type { StatementControl } from './types';

/**
 * What a CAMT statement, report or notification says about itself before its entries: the
 * account and its currency, its numbers, and its balances.
 */

export type CamtBalance = { amountPence: number; node: XmlElement; at: string };

export type CamtBalances = {
  opening?: CamtBalance;
  /** CLBD, else the last ITBD (then `interim`). */
  closing?: CamtBalance;
  interim: boolean;
  availablePence?: number;
  forwardAvailablePence?: number;
  problems: CamtProblem[];
};

export function accountIdOf(item: XmlElement): string {
  return (
    textOf(childAt(item, 'Acct', 'Id', 'IBAN')) ??
    textOf(childAt(item, 'Acct', 'Id', 'Othr', 'Id')) ??
    ''
  );
}

/** Acct/Ccy, else the currency of the first balance or entry, else sterling. */
export function currencyOf(item: XmlElement): { currency: string; at: string } {
  const stated = textOf(childAt(item, 'Acct', 'Ccy'));
  if (stated !== undefined) return { currency: stated, at: 'Acct/Ccy' };
  for (const name of ['Bal', 'Ntry']) {
    const currency = attributeOf(childAt(item, name, 'Amt'), 'Ccy');
    if (currency !== undefined) return { currency, at: `${name}[1]/Amt` };
  }
  return { currency: acceptedCurrency, at: 'Acct' };
}

/**
 * Why an account's currency is refused, or undefined when it is accepted: sterling always,
 * another currency only for an account the profile lists with exactly that currency.
 */
export function currencyRefusal(
  accountId: string,
  currency: string,
  otherCurrencyAccounts: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (currency === acceptedCurrency) return undefined;
  const listed = otherCurrencyAccounts?.[accountId];
  if (listed === currency) return undefined;
  if (listed !== undefined) {
    return `The account ${accountId} is in ${currency}, but the profile's otherCurrencyAccounts lists it in ${listed}`;
  }
  return `The account ${accountId} is in ${currency}; only GBP is accepted unless the profile lists the account in otherCurrencyAccounts`;
}

export function balancesOf(item: XmlElement, context: AmountContext): CamtBalances {
  const balances: CamtBalances = { interim: false, problems: [] };
  let interim: CamtBalance | undefined;
  let previousClosing: CamtBalance | undefined;
  elementsOf(item, 'Bal').forEach((node, index) => {
    const kind = balanceKind(node);
    if (kind === 'other') return;
    const at = `Bal[${index + 1}]`;
    const amount = signedAmountOf(node, context);
    if ('message' in amount) {
      balances.problems.push({ ...amount, at: `${at}/${amount.at}`, node });
      return;
    }
    const balance = { amountPence: amount.amountPence, node, at };
    const code = textOf(childAt(node, 'Tp', 'CdOrPrtry', 'Cd'));
    if (kind === 'opening' && code === 'PRCD') previousClosing ??= balance;
    else if (kind === 'opening') balances.opening ??= balance;
    else if (kind === 'closing') balances.closing ??= balance;
    else if (kind === 'interim') interim = balance;
    else if (kind === 'available') balances.availablePence ??= amount.amountPence;
    else balances.forwardAvailablePence ??= amount.amountPence;
  });
  balances.opening ??= previousClosing;
  if (balances.closing === undefined && interim !== undefined) {
    balances.closing = interim;
    balances.interim = true;
  }
  return balances;
}

type StatementExtras = Omit<
  StatementControl,
  'lineNo' | 'accountId' | 'openingBalancePence' | 'closingBalancePence' | 'entryCount'
>;

/** The statement's own numbers and the balances beyond opening and closing, for its control. */
export function extrasOf(
  item: XmlElement,
  itemName: string,
  balances: CamtBalances,
  currency: string,
) {
  const extras: StatementExtras = { currency };
  const statementNumber =
    textOf(childAt(item, 'LglSeqNb')) ?? textOf(childAt(item, 'ElctrncSeqNb'));
  const sequenceNumber = textOf(childAt(item, `${itemName}Pgntn`, 'PgNb'));
  if (statementNumber !== undefined) extras.statementNumber = statementNumber;
  if (sequenceNumber !== undefined) extras.sequenceNumber = sequenceNumber;
  if (balances.availablePence !== undefined) extras.availableBalancePence = balances.availablePence;
  if (balances.forwardAvailablePence !== undefined) {
    extras.forwardAvailableBalancePence = balances.forwardAvailablePence;
  }
  if (balances.interim) extras.interim = true;
  return extras;
}
