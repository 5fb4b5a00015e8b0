// Proves a payment basket is checked line by line through the money core, with every bad line
// named at once, references normalised, VAT attached, and the channel's limit on the total.
import { describe, expect, it } from 'vitest';
import type { AllocationContext } from '../../domain/allocationCheck';
import { accountHolderKey, checkBasket } from '../../domain/basket';
import { demoCouncil } from '../../domain/demoCouncil';

const context: AllocationContext = {
  funds: new Map(demoCouncil.funds.map((fund) => [fund.code, fund])),
  methodsOfPayment: new Map(
    demoCouncil.methodsOfPayment.map((mop) => [mop.code, { ...mop, disabled: false }]),
  ),
  vatCodes: new Map(demoCouncil.vatCodes.map((vat) => [vat.code, vat])),
};
const none = new Map();
const check = (
  lines: { fundCode: string; reference: string; amountPence: number }[],
  methodOfPaymentCode = 'CSS',
  accountHolders = none,
) => checkBasket(context, { lines, methodOfPaymentCode, accountHolders, permissions: new Set() });

describe('checkBasket', () => {
  it('accepts the worked examples, normalised, with their VAT codes', () => {
    const result = check([
      { fundCode: 'PCN', reference: ' bj12345673 ', amountPence: 7_000 },
      { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345 },
    ]);
    expect(result).toEqual({
      ok: true,
      lines: [
        expect.objectContaining({
          fundCode: 'PCN',
          reference: 'BJ12345673',
          vatCode: expect.any(String),
        }),
        expect.objectContaining({ fundCode: 'CTAX', reference: '123456780' }),
      ],
    });
  });

  it('names every bad line at once', () => {
    const result = check([
      { fundCode: 'PCN', reference: 'BJ12345674', amountPence: 7_000 },
      { fundCode: 'CTAX', reference: '123456780', amountPence: 100 },
      { fundCode: 'NOPE', reference: '1', amountPence: 100 },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejections.map((r) => r.field)).toEqual([
      'lines[0].reference',
      'lines[2].fundCode',
    ]);
  });

  it('refuses empty and oversized baskets', () => {
    expect(check([])).toMatchObject({ ok: false, rejections: [{ field: 'lines' }] });
    const eleven = Array.from({ length: 11 }, () => ({
      fundCode: 'CTAX',
      reference: '123456780',
      amountPence: 1,
    }));
    expect(check(eleven)).toMatchObject({ ok: false, rejections: [{ field: 'lines' }] });
  });

  it('holds the basket total to the channel’s maximum', () => {
    const lines = Array.from({ length: 3 }, () => ({
      fundCode: 'CTAX',
      reference: '123456780',
      amountPence: 200_000,
    }));
    const result = check(lines, 'CSH'); // cash takes at most £5,000
    expect(result).toMatchObject({
      ok: false,
      rejections: [{ field: 'lines', message: expect.stringContaining('£5,000.00') }],
    });
  });

  it('refuses an unknown channel once, naming it', () => {
    expect(
      check([{ fundCode: 'CTAX', reference: '123456780', amountPence: 1 }], 'ZZ'),
    ).toMatchObject({ ok: false, rejections: [{ field: 'methodOfPaymentCode' }] });
  });

  it('refuses an account on stop with its message', () => {
    const holders = new Map([
      [accountHolderKey('CTAX', '123456780'), { onStopMessage: 'Refer to recovery' }],
    ]);
    const result = check(
      [{ fundCode: 'CTAX', reference: '123456780', amountPence: 100 }],
      'CSS',
      holders,
    );
    expect(result).toMatchObject({
      ok: false,
      rejections: [
        { field: 'lines[0].reference', message: expect.stringContaining('Refer to recovery') },
      ],
    });
  });
});
