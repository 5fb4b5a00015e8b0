/**
 * Ledger account codes. Every fund has one account (`FUND:<code>`), the suspense fund's being
 * the suspense account; control accounts hold money on its way somewhere else. Payments for one
 * account reference are told apart by the posting's `accountReference`, not by an account each,
 * so a million council tax accounts do not mean a million ledger accounts.
 */
export const controlAccounts = {
  pspClearing: 'CTRL:PSP_CLEARING',
  bank: 'CTRL:BANK',
  cashInHand: 'CTRL:CASH',
  collectionAgentClearing: 'CTRL:COLLECTION_CLEARING',
  refundsPayable: 'CTRL:REFUNDS_PAYABLE',
  pspFees: 'CTRL:PSP_FEES',
  vatOutput: 'CTRL:VAT_OUTPUT',
  writeOff: 'CTRL:WRITE_OFF',
  cashOverShort: 'CTRL:CASH_OVER_SHORT',
  pdqClearing: 'CTRL:PDQ_CLEARING',
} as const;

export type ControlAccountCode = (typeof controlAccounts)[keyof typeof controlAccounts];

export const controlAccountNames: Record<ControlAccountCode, string> = {
  'CTRL:PSP_CLEARING': 'Card payments awaiting PSP payout',
  'CTRL:BANK': 'Bank',
  'CTRL:CASH': 'Cash in hand',
  'CTRL:COLLECTION_CLEARING': 'Collection agent (Post Office, PayPoint) clearing',
  'CTRL:REFUNDS_PAYABLE': 'Refunds payable',
  'CTRL:PSP_FEES': 'PSP transaction fees',
  'CTRL:VAT_OUTPUT': 'VAT output tax',
  'CTRL:WRITE_OFF': 'Suspense written off',
  'CTRL:CASH_OVER_SHORT': 'Cash over and short',
  'CTRL:PDQ_CLEARING': 'Card-present (PDQ) takings awaiting the acquirer',
};

export function fundAccountCode(fundCode: string): string {
  return `FUND:${fundCode}`;
}
