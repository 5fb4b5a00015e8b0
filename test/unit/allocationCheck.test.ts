// Proves the allocation check's order and outcomes: fund, then method of payment, then amount
// and reference against both sets of limits, then the account-holder list and the on-stop
// rule, which only the override permission passes.
import { describe, expect, it } from 'vitest';
import {
  type AllocatableMethodOfPayment,
  type AllocationContext,
  type AllocationInput,
  checkAllocation,
  onStopOverridePermission,
} from '../../domain/allocationCheck';
import type { FundConfig } from '../../domain/councilConfig';
import { demoCouncil } from '../../domain/demoCouncil';

function contextWith(
  changes: {
    funds?: Partial<Record<string, Partial<FundConfig>>>;
    methods?: Partial<Record<string, Partial<AllocatableMethodOfPayment>>>;
  } = {},
): AllocationContext {
  const funds = demoCouncil.funds.map((fund) => ({ ...fund, ...changes.funds?.[fund.code] }));
  const methods = demoCouncil.methodsOfPayment.map((method) => ({
    ...method,
    disabled: false,
    ...changes.methods?.[method.code],
  }));
  return {
    funds: new Map(funds.map((fund) => [fund.code, fund])),
    methodsOfPayment: new Map(methods.map((method) => [method.code, method])),
    vatCodes: new Map(demoCouncil.vatCodes.map((vat) => [vat.code, vat])),
  };
}

const base: AllocationInput = {
  fundCode: 'PCN',
  reference: ' bj12345673 ',
  amountPence: 7_000,
  methodOfPaymentCode: 'CSS',
  permissions: new Set(),
};

const check = (input: Partial<AllocationInput>, context = contextWith()) =>
  checkAllocation(context, { ...base, ...input });

describe('checkAllocation: happy path', () => {
  it('accepts a valid payment and returns the normalised reference and VAT', () => {
    expect(check({})).toEqual({
      ok: true,
      fundCode: 'PCN',
      normalisedReference: 'BJ12345673',
      vatCode: 'O',
      vatRateBasisPoints: 0,
    });
    expect(check({ fundCode: 'LIB', reference: 'x1', amountPence: 1 })).toMatchObject({
      ok: true,
      vatCode: 'S',
      vatRateBasisPoints: 2000,
    });
  });

  it('accepts without a method of payment, with the fund limit alone', () => {
    expect(check({ methodOfPaymentCode: undefined, amountPence: 50_000 }).ok).toBe(true);
  });
});

describe('checkAllocation: fund and method of payment', () => {
  it('refuses an unknown fund and a disabled fund, naming fundCode', () => {
    expect(check({ fundCode: 'NOPE' })).toMatchObject({
      ok: false,
      code: 'unknown_fund',
      field: 'fundCode',
    });
    const disabled = contextWith({ funds: { PCN: { disabled: true } } });
    expect(check({}, disabled)).toMatchObject({
      ok: false,
      code: 'fund_disabled',
      field: 'fundCode',
    });
  });

  it('checks the fund before the method, and the method before the reference', () => {
    const disabled = contextWith({ funds: { PCN: { disabled: true } } });
    expect(check({ methodOfPaymentCode: 'NOPE', reference: 'bad' }, disabled)).toMatchObject({
      code: 'fund_disabled',
    });
    expect(check({ methodOfPaymentCode: 'NOPE', reference: 'bad' })).toMatchObject({
      code: 'unknown_method_of_payment',
      field: 'methodOfPaymentCode',
    });
  });

  it('refuses a disabled method of payment', () => {
    const context = contextWith({ methods: { CSS: { disabled: true } } });
    expect(check({}, context)).toMatchObject({
      code: 'method_of_payment_disabled',
      field: 'methodOfPaymentCode',
    });
  });
});

describe('checkAllocation: limits from both fund and method', () => {
  it('applies the fund maximum', () => {
    expect(check({ amountPence: 50_000 }).ok).toBe(true);
    expect(check({ amountPence: 50_001 })).toMatchObject({
      code: 'amount_above_maximum',
      field: 'amountPence',
    });
  });

  it('applies the method maximum when it is tighter than the fund', () => {
    const context = contextWith({ methods: { CSH: { maxPence: 1_000 } } });
    expect(check({ methodOfPaymentCode: 'CSH', amountPence: 1_000 }, context).ok).toBe(true);
    expect(check({ methodOfPaymentCode: 'CSH', amountPence: 1_001 }, context)).toMatchObject({
      code: 'amount_above_maximum',
    });
  });

  it('applies the method minimum, and refuses zero whatever the limits', () => {
    const context = contextWith({ methods: { CHQ: { minPence: 500 } } });
    expect(check({ methodOfPaymentCode: 'CHQ', amountPence: 499 }, context)).toMatchObject({
      code: 'amount_below_minimum',
    });
    expect(check({ amountPence: 0 })).toMatchObject({
      code: 'amount_not_positive',
      field: 'amountPence',
    });
    expect(check({ amountPence: 1 }).ok).toBe(true);
  });

  it('refuses a reference with one character changed', () => {
    expect(check({ reference: 'BJ12345674' })).toMatchObject({
      code: 'check_digit_mismatch',
      field: 'reference',
    });
  });
});

describe('checkAllocation: account holders', () => {
  const listed = contextWith({ funds: { PCN: { accountHolderListRequired: true } } });

  it('refuses a reference missing from a required list, whether looked up or not', () => {
    expect(check({ accountHolder: null }, listed)).toMatchObject({
      code: 'account_not_found',
      field: 'reference',
    });
    expect(check({ accountHolder: undefined }, listed)).toMatchObject({
      code: 'account_not_found',
    });
    expect(check({ accountHolder: { onStopMessage: null } }, listed).ok).toBe(true);
    expect(check({ accountHolder: null }).ok).toBe(true);
  });

  it('refuses an account on stop with its own message', () => {
    const accountHolder = { onStopMessage: 'Account in enforcement: refer to the recovery team' };
    expect(check({ accountHolder })).toEqual({
      ok: false,
      code: 'account_on_stop',
      field: 'reference',
      message: 'Account in enforcement: refer to the recovery team',
    });
  });

  it('lets only the override permission take money for an account on stop', () => {
    const accountHolder = { onStopMessage: 'Refer to recovery' };
    expect(check({ accountHolder, permissions: new Set(['configure', 'view']) }).ok).toBe(false);
    expect(check({ accountHolder, permissions: new Set([onStopOverridePermission]) }).ok).toBe(
      true,
    );
  });

  it('judges the reference before the account, so a bad reference is never "on stop"', () => {
    const accountHolder = { onStopMessage: 'Refer to recovery' };
    expect(check({ accountHolder, reference: 'BJ1' })).toMatchObject({
      field: 'reference',
      code: 'too_short',
    });
  });
});
