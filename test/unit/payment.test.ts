// Proves the card payment journal always balances, splits VAT per line without losing a penny,
// and maps the PSP's outcomes (including GOV.UK Pay's expiry code) onto our states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netPenceByAccount } from '../../domain/ledger';
import { type AllocatedLine, cardPaymentLines, paymentStateForOutcome } from '../../domain/payment';

const line = (
  fundCode: string,
  amountPence: number,
  vatRateBasisPoints = 0,
  vatCode = 'O',
): AllocatedLine => ({
  fundCode,
  reference: `REF-${fundCode}`,
  amountPence,
  vatCode,
  vatRateBasisPoints,
});

describe('cardPaymentLines', () => {
  it('debits clearing with the gross and credits each fund', () => {
    const lines = cardPaymentLines([line('CTAX', 12_345), line('PCN', 5_000)]);
    expect(lines).toEqual([
      { accountCode: 'CTRL:PSP_CLEARING', debitPence: 17_345, creditPence: 0 },
      expect.objectContaining({
        accountCode: 'FUND:CTAX',
        creditPence: 12_345,
        vatPence: 0,
        accountReference: 'REF-CTAX',
      }),
      expect.objectContaining({ accountCode: 'FUND:PCN', creditPence: 5_000 }),
    ]);
  });

  it('splits 20% VAT out of the gross into VAT output, one line per VAT code', () => {
    const lines = cardPaymentLines([line('LIB', 120, 2000, 'S'), line('LIB', 240, 2000, 'S')]);
    const net = netPenceByAccount(lines);
    expect(net.get('FUND:LIB')).toBe(-300);
    expect(net.get('CTRL:VAT_OUTPUT')).toBe(-60);
    expect(lines.filter((l) => l.accountCode === 'CTRL:VAT_OUTPUT')).toHaveLength(1);
  });

  it('moves a known fee from clearing to fees', () => {
    const net = netPenceByAccount(cardPaymentLines([line('CTAX', 10_000)], 25));
    expect(net.get('CTRL:PSP_CLEARING')).toBe(9_975);
    expect(net.get('CTRL:PSP_FEES')).toBe(25);
  });

  it('balances for any basket and fee, and never loses a penny of gross', () => {
    const basket = fc.array(
      fc.tuple(
        fc.constantFrom('CTAX', 'LIB', 'PCN'),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom(0, 500, 2000),
      ),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(basket, fc.integer({ min: 0, max: 5_000 }), (items, feePence) => {
        const allocated = items.map(([fund, pence, rate]) =>
          line(fund, pence, rate, rate === 0 ? 'O' : `V${rate}`),
        );
        const lines = cardPaymentLines(allocated, feePence);
        const gross = allocated.reduce((sum, l) => sum + l.amountPence, 0);
        const credits = lines
          .filter((l) => l.accountCode !== 'CTRL:PSP_CLEARING')
          .reduce((sum, l) => sum + l.creditPence, 0);
        expect(credits).toBe(gross);
      }),
    );
  });
});

describe('paymentStateForOutcome', () => {
  it.each([
    [{ status: 'success' as const }, 'posting'],
    [{ status: 'failed' as const, failureCode: 'P0010' }, 'failed'],
    [{ status: 'failed' as const, failureCode: 'P0020' }, 'expired'],
    [{ status: 'failed' as const, failureCode: 'P0030' }, 'cancelled'],
    [{ status: 'cancelled' as const, failureCode: 'P0040' }, 'cancelled'],
    [{ status: 'error' as const }, 'error'],
  ])('%o → %s', (outcome, state) => {
    expect(paymentStateForOutcome(outcome)).toBe(state);
  });
});
