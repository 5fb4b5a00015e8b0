// Proves the settlement arithmetic: payout = gross − fees − refunds, and every way the PSP and
// the ledger can disagree (settled but unknown, amount differs, due but not settled) is reported.
import { describe, expect, it } from 'vitest';
import { addDays, settlementOf } from '../../domain/settlement';

describe('addDays', () => {
  it('crosses months, years and leap days in calendar arithmetic', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });
});

describe('settlementOf', () => {
  it('expects gross less fees and refunds when both sides agree', () => {
    const settled = [
      { pspPaymentId: 'a', amountPence: 10_000, feePence: 150 },
      { pspPaymentId: 'b', amountPence: 1, feePence: 2 },
    ];
    const ledger = [
      { pspPaymentId: 'a', amountPence: 10_000 },
      { pspPaymentId: 'b', amountPence: 1 },
    ];
    expect(settlementOf(settled, ledger, ledger, 500)).toEqual({
      paymentCount: 2,
      grossPence: 10_001,
      feePence: 152,
      refundPence: 500,
      expectedPayoutPence: 9_349,
      differences: [],
    });
  });

  it('is zero for a day with nothing settled', () => {
    expect(settlementOf([], [], []).expectedPayoutPence).toBe(0);
  });

  it('reports each kind of difference, sorted', () => {
    const result = settlementOf(
      [
        { pspPaymentId: 'z', amountPence: 300, feePence: 0 },
        { pspPaymentId: 'y', amountPence: 200, feePence: 0 },
      ],
      [{ pspPaymentId: 'y', amountPence: 201 }],
      [{ pspPaymentId: 'x', amountPence: 50 }],
    );
    expect(result.differences).toEqual([
      { kind: 'amount_differs', pspPaymentId: 'y', pspAmountPence: 200, ledgerAmountPence: 201 },
      {
        kind: 'in_ledger_not_settled',
        pspPaymentId: 'x',
        pspAmountPence: null,
        ledgerAmountPence: 50,
      },
      {
        kind: 'settled_not_in_ledger',
        pspPaymentId: 'z',
        pspAmountPence: 300,
        ledgerAmountPence: null,
      },
    ]);
  });
});
