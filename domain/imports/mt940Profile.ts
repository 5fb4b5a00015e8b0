import { acceptedCurrency } from './statements';

/**
 * An MT940 import profile (it reads MT942 interim reports too; the kind keeps its name so
 * saved profiles need no migration). The ledger is in pounds, so a statement in any other
 * currency refuses the file, unless `otherCurrencyAccounts` names the account and its
 * currency: then that account's statements are read, amounts in that currency's minor units
 * (cents for EUR) with `currency` on every row. Such rows are not pounds: an import rule must
 * post them to a fund set up for that currency, never to a sterling fund.
 */
export type Mt940Profile = {
  kind: 'mt940';
  /** Account id exactly as the statement's :25: gives it → ISO 4217 currency code. */
  otherCurrencyAccounts?: Record<string, string>;
};

const currencyPattern = /^[A-Z]{3}$/;

// ISO 4217 currencies without two decimal places: their amounts are not hundredths, so
// reading them into the two-place minor units of a row would be wrong by a factor of 10 or 100.
const notTwoDecimalCurrencies = new Set(
  'BHD BIF CLF CLP DJF GNF IQD ISK JOD JPY KMF KRW KWD LYD OMR PYG RWF TND UGX UYI UYW VND VUV XAF XOF XPF'.split(
    ' ',
  ),
);

/** The currency each account's statements must be in; throws RangeError on a profile that cannot work. */
export function currencyRule(profile: Mt940Profile): (accountId: string) => string {
  const others = new Map<string, string>();
  for (const [accountId, currency] of Object.entries(profile.otherCurrencyAccounts ?? {})) {
    if (accountId.trim() === '') throw new RangeError('otherCurrencyAccounts has an empty account');
    if (typeof currency !== 'string' || !currencyPattern.test(currency)) {
      throw new RangeError(`The currency of account ${accountId} must be an ISO 4217 code`);
    }
    if (notTwoDecimalCurrencies.has(currency)) {
      throw new RangeError(`${currency} does not have two decimal places; it cannot be read`);
    }
    others.set(accountId, currency);
  }
  return (accountId) => others.get(accountId) ?? acceptedCurrency;
}
