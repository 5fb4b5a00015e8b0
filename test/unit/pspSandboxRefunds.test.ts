// Proves refunds through the adapter and the sandbox: full and partial, submitted then success,
// settled later, and the refund_amount_available guard (412 P0604) that stops a double refund.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PspPayment } from '../../psp/port';
import {
  contractViolations,
  fund,
  newPayment,
  type PspHarness,
  startPspHarness,
} from './pspHarness';

// GOV.UK Pay answers "not refundable" with 400 P0603, a status its spec omits for this operation.
const undeclared = ['POST /v1/payments/{paymentId}/refunds 400'];

let h: PspHarness;
beforeEach(async () => {
  h = await startPspHarness();
});
afterEach(async () => {
  expect(contractViolations(h.exchanges, undeclared)).toEqual([]);
  await h.close();
});

async function paidPayment(amountPence = 10_000): Promise<PspPayment> {
  const created = await h.provider.createPayment(newPayment({ amountPence }), fund);
  await h.payerActs(created, 'pay');
  return h.provider.getPayment(created.pspPaymentId, fund);
}

describe('sandbox refunds through the GOV.UK Pay adapter', () => {
  it('refunds in full: submitted, then success, then settled the next day', async () => {
    const payment = await paidPayment();
    const refund = await h.provider.refundPayment(
      {
        pspPaymentId: payment.pspPaymentId,
        amountPence: 10_000,
        refundAmountAvailablePence: 10_000,
      },
      fund,
    );
    expect(refund).toMatchObject({ amountPence: 10_000, status: 'submitted' });
    expect(refund.settledDate).toBeUndefined();

    const done = await h.provider.getRefund(payment.pspPaymentId, refund.pspRefundId, fund);
    expect(done.status).toBe('success');
    const after = await h.provider.getPayment(payment.pspPaymentId, fund);
    expect(after.refundSummary).toEqual({
      status: 'full',
      amountAvailablePence: 0,
      amountSubmittedPence: 10_000,
    });

    h.clock.advanceDays(1);
    const settled = await h.provider.getRefund(payment.pspPaymentId, refund.pspRefundId, fund);
    expect(settled.settledDate).toBe('2025-03-04');
  });

  it('refunds in parts, each against the amount then available', async () => {
    const payment = await paidPayment();
    const ids = { pspPaymentId: payment.pspPaymentId };
    await h.provider.refundPayment(
      { ...ids, amountPence: 2_500, refundAmountAvailablePence: 10_000 },
      fund,
    );
    const between = await h.provider.getPayment(payment.pspPaymentId, fund);
    expect(between.refundSummary).toMatchObject({
      status: 'available',
      amountAvailablePence: 7_500,
      amountSubmittedPence: 2_500,
    });
    await h.provider.refundPayment(
      { ...ids, amountPence: 7_500, refundAmountAvailablePence: 7_500 },
      fund,
    );
    expect((await h.provider.getPayment(payment.pspPaymentId, fund)).refundSummary.status).toBe(
      'full',
    );
  });

  it('refuses a refund made against a stale amount available: refund_amount_mismatch', async () => {
    const payment = await paidPayment();
    const first = {
      pspPaymentId: payment.pspPaymentId,
      amountPence: 4_000,
      refundAmountAvailablePence: 10_000,
    };
    await h.provider.refundPayment(first, fund);
    // The same request again, as a retry after a lost answer would send it.
    await expect(h.provider.refundPayment(first, fund)).rejects.toMatchObject({
      kind: 'refund_amount_mismatch',
      retryable: false,
      httpStatus: 412,
      pspCode: 'P0604',
    });
    const after = await h.provider.getPayment(payment.pspPaymentId, fund);
    expect(after.refundSummary.amountSubmittedPence).toBe(4_000);
  });

  it('does not refund twice when the answer is lost and the adapter retries', async () => {
    const payment = await paidPayment();
    await h.injectFaults({
      responses: [{ status: 500, afterHandling: true }],
      path: '/v1/payments',
    });
    const refund = {
      pspPaymentId: payment.pspPaymentId,
      amountPence: 3_000,
      refundAmountAvailablePence: 10_000,
    };
    // The first attempt refunded; the retry meets the guard. The caller must re-read, not re-pay.
    await expect(h.provider.refundPayment(refund, fund)).rejects.toMatchObject({
      kind: 'refund_amount_mismatch',
    });
    const after = await h.provider.getPayment(payment.pspPaymentId, fund);
    expect(after.refundSummary).toMatchObject({
      amountSubmittedPence: 3_000,
      amountAvailablePence: 7_000,
    });
  });

  it('refuses refunds of a payment that was never paid, or beyond what is left', async () => {
    const declined = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(declined, 'decline');
    const refundDeclined = {
      pspPaymentId: declined.pspPaymentId,
      amountPence: 100,
      refundAmountAvailablePence: 12_345,
    };
    await expect(h.provider.refundPayment(refundDeclined, fund)).rejects.toMatchObject({
      kind: 'refund_not_available',
      pspCode: 'P0603',
    });

    const paid = await paidPayment(1_000);
    const tooMuch = {
      pspPaymentId: paid.pspPaymentId,
      amountPence: 1_001,
      refundAmountAvailablePence: 1_000,
    };
    await expect(h.provider.refundPayment(tooMuch, fund)).rejects.toMatchObject({
      kind: 'refund_not_available',
    });
  });

  it('refuses a zero refund, or a zero amount available, before calling the PSP', async () => {
    const zero = { pspPaymentId: 'p', amountPence: 0, refundAmountAvailablePence: 100 };
    await expect(h.provider.refundPayment(zero, fund)).rejects.toThrow(RangeError);
    const none = { pspPaymentId: 'p', amountPence: 1, refundAmountAvailablePence: 0 };
    await expect(h.provider.refundPayment(none, fund)).rejects.toThrow(RangeError);
    expect(h.exchanges).toHaveLength(0);
  });

  it('answers not_found for a refund id the payment does not have', async () => {
    const payment = await paidPayment();
    await expect(
      h.provider.getRefund(payment.pspPaymentId, 'nosuchrefund', fund),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});
