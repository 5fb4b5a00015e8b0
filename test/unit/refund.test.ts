// Proves the refund rules: approval above the threshold or for chosen funds, refunds in flight
// counted against what is refundable, a bank refund awaiting its BACS file rather than
// succeeded, and refunds and moves spread over holdings so that the VAT posted back nets to the
// original to the penny, however a payment is refunded.
import { describe, expect, it } from 'vitest';
import { netPenceByAccount } from '../../domain/ledger';
import {
  finalRefundStates,
  postedRefundState,
  refundablePence,
  refundNeedsApproval,
} from '../../domain/refund';
import {
  type Holding,
  moveLines,
  refundLines,
  spreadOverHoldings,
  takeFromHolding,
} from '../../domain/refundHoldings';
import { extractVat } from '../../domain/vat';

const rules = { approvalThresholdPence: 50_000, alwaysApproveFundCodes: ['NNDR'] };

function holding(fundCode: string, grossPence: number, rate = 0): Holding {
  return {
    fundCode,
    reference: `${fundCode}-REF`,
    vatCode: rate > 0 ? 'S' : 'O',
    vatRateBasisPoints: rate,
    grossPence,
    vatPence: extractVat(grossPence, rate).vatPence,
  };
}

describe('approval', () => {
  it('is needed above the threshold, not at it', () => {
    expect(refundNeedsApproval(50_000, ['CTAX'], rules)).toBe(false);
    expect(refundNeedsApproval(50_001, ['CTAX'], rules)).toBe(true);
  });

  it('is always needed for the chosen funds', () => {
    expect(refundNeedsApproval(1, ['CTAX', 'NNDR'], rules)).toBe(true);
  });
});

describe('refundablePence', () => {
  it('counts refunds in flight and succeeded, not rejected or failed ones', () => {
    const refunds = [
      { amountPence: 1_000, state: 'succeeded' },
      { amountPence: 2_000, state: 'awaiting_approval' },
      { amountPence: 4_000, state: 'failed' },
      { amountPence: 8_000, state: 'rejected' },
    ];
    expect(refundablePence(10_000, refunds)).toBe(7_000);
    expect(refundablePence(2_000, refunds)).toBe(0);
  });
});

describe('a posted refund', () => {
  it('has succeeded by card, but by bank only awaits its BACS file, which is not final', () => {
    expect(postedRefundState('card')).toBe('succeeded');
    expect(postedRefundState('bacs')).toBe('awaiting_bacs_file');
    expect(finalRefundStates.has('awaiting_bacs_file')).toBe(false);
  });

  it('awaiting its BACS file still holds its money back from further refunds', () => {
    expect(refundablePence(1_000, [{ amountPence: 400, state: 'awaiting_bacs_file' }])).toBe(600);
  });
});

describe('holdings', () => {
  it('spread an amount in proportion, never more than a holding, summing exactly', () => {
    const taken = spreadOverHoldings([holding('CTAX', 2), holding('PCN', 1)], 2);
    expect(taken.map((t) => t.grossPence)).toEqual([1, 1]);
    const all = spreadOverHoldings([holding('CTAX', 12_345), holding('PCN', 7_000)], 19_345);
    expect(all.map((t) => t.grossPence)).toEqual([12_345, 7_000]);
    expect(() => spreadOverHoldings([holding('CTAX', 10)], 11)).toThrow(RangeError);
    expect(() => spreadOverHoldings([holding('CTAX', 10)], 0)).toThrow(RangeError);
  });

  it('reverse exactly the original VAT when refunded in parts that sum to the whole', () => {
    // 1,001p at 20%: VAT 167p. Refunds of 1p, 500p and 500p extract 0p, 83p and the rest.
    let current = holding('LIB', 1_001, 2000);
    let vatBackPence = 0;
    for (const amount of [1, 500, 500]) {
      const taken = takeFromHolding(current, amount);
      vatBackPence += taken.vatPence;
      current = {
        ...current,
        grossPence: current.grossPence - amount,
        vatPence: current.vatPence - taken.vatPence,
      };
    }
    expect(vatBackPence).toBe(extractVat(1_001, 2000).vatPence);
    expect(current).toMatchObject({ grossPence: 0, vatPence: 0 });
  });

  it('never take more VAT than the holding still carries', () => {
    const thin = { ...holding('LIB', 100, 2000), vatPence: 1 };
    expect(takeFromHolding(thin, 99).vatPence).toBe(1);
  });
});

describe('refund and move journals', () => {
  it('refund through refunds payable and PSP clearing, netting the fund and VAT', () => {
    const lines = refundLines(
      spreadOverHoldings([holding('CTAX', 6_000), holding('LIB', 1_200, 2000)], 7_200),
      'CTRL:PSP_CLEARING',
    );
    const net = netPenceByAccount(lines);
    expect(net.get('FUND:CTAX')).toBe(6_000);
    expect(net.get('FUND:LIB')).toBe(1_000);
    expect(net.get('CTRL:VAT_OUTPUT')).toBe(200);
    expect(net.get('CTRL:REFUNDS_PAYABLE')).toBe(0);
    expect(net.get('CTRL:PSP_CLEARING')).toBe(-7_200);
  });

  it('move from a VAT-bearing fund to one outside the scope of VAT', () => {
    const lines = moveLines([takeFromHolding(holding('LIB', 1_200, 2000), 1_200)], {
      fundCode: 'CTAX',
      reference: '123456780',
      vatCode: 'O',
      vatRateBasisPoints: 0,
    });
    const net = netPenceByAccount(lines);
    expect(net.get('FUND:LIB')).toBe(1_000);
    expect(net.get('CTRL:VAT_OUTPUT')).toBe(200);
    expect(net.get('FUND:CTAX')).toBe(-1_200);
  });
});
