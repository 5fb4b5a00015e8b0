// Proves the GOV.UK Pay adapter and the sandbox agree, over real HTTP and within the official spec,
// on a payment's whole life: creation, the hosted page, each way it can end, settlement and search.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PspError } from '../../psp/errors';
import {
  contractViolations,
  fund,
  newPayment,
  type PspHarness,
  parkingFund,
  startPspHarness,
} from './pspHarness';

let h: PspHarness;
beforeEach(async () => {
  h = await startPspHarness({ expiryMs: 60_000 });
});
afterEach(async () => {
  expect(contractViolations(h.exchanges)).toEqual([]);
  await h.close();
});

describe('sandbox payments through the GOV.UK Pay adapter', () => {
  it('creates, reads, is paid on the hosted page, and settles the next day with a fee', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    expect(created).toMatchObject({ status: 'created', finished: false, amountPence: 12_345 });
    expect(created.metadata).toEqual({
      imsPaymentId: 'pay_1',
      ledgerCode: 'CTAX-2025',
      fund: 'CTAX',
    });
    expect(created.nextUrl).toBe(`${h.server.url}/pay/${created.pspPaymentId}`);

    const paid = await h.payerActs(created, 'pay');
    expect(paid).toEqual({ status: 303, location: newPayment().returnUrl });

    const success = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(success).toMatchObject({
      status: 'success',
      finished: true,
      // 1.5% of 12,345p is 185.175p, rounded down.
      feePence: 185,
      netAmountPence: 12_160,
      cardBrand: 'Visa',
      lastDigitsCardNumber: '4242',
      refundSummary: { status: 'available', amountAvailablePence: 12_345, amountSubmittedPence: 0 },
    });
    expect(success.nextUrl).toBeUndefined();
    expect(success.settledDate).toBeUndefined();
    expect(JSON.stringify(success)).not.toMatch(/424242\d{6}/);

    h.clock.advanceDays(1);
    const settled = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(settled.settledDate).toBe('2025-03-04');
  });

  it('records a decline as failed with P0010', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(created, 'decline');
    const declined = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(declined).toMatchObject({ status: 'failed', finished: true, failureCode: 'P0010' });
    expect(declined.refundSummary.status).toBe('unavailable');
  });

  it("records the payer's cancel as failed with P0030, as GOV.UK Pay does", async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(created, 'cancel');
    const cancelled = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(cancelled).toMatchObject({ status: 'failed', finished: true, failureCode: 'P0030' });
  });

  it('cancels through the API (P0040) and refuses to cancel what has finished', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.provider.cancelPayment(created.pspPaymentId, fund);
    const cancelled = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(cancelled).toMatchObject({ status: 'cancelled', finished: true, failureCode: 'P0040' });
    await expect(h.provider.cancelPayment(created.pspPaymentId, fund)).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 409,
      pspCode: 'P0502',
    });

    const paid = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(paid, 'pay');
    await expect(h.provider.cancelPayment(paid.pspPaymentId, fund)).rejects.toMatchObject({
      kind: 'invalid_request',
      httpStatus: 400,
      pspCode: 'P0501',
    });
  });

  it('expires an unfinished payment after expiryMs with P0020', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    h.clock.advanceMs(59_999);
    expect((await h.provider.getPayment(created.pspPaymentId, fund)).status).toBe('created');
    h.clock.advanceMs(1);
    const expired = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(expired).toMatchObject({ status: 'failed', finished: true, failureCode: 'P0020' });
    expect(expired.nextUrl).toBeUndefined();
  });

  it('returns the same payment for a repeated idempotency key', async () => {
    const input = newPayment({ idempotencyKey: 'pay-1-attempt' });
    const first = await h.provider.createPayment(input, fund);
    const again = await h.provider.createPayment(input, fund);
    expect(again.pspPaymentId).toBe(first.pspPaymentId);
  });

  it("keeps each fund's payments to its own key, as separate GOV.UK Pay services do", async () => {
    const parking = await h.provider.createPayment(newPayment(), parkingFund);
    await expect(h.provider.getPayment(parking.pspPaymentId, fund)).rejects.toMatchObject({
      kind: 'not_found',
      retryable: false,
    });
    expect((await h.provider.getPayment(parking.pspPaymentId, parkingFund)).pspPaymentId).toBe(
      parking.pspPaymentId,
    );
  });

  it('finds settled payments by settled date, inclusively, a page at a time', async () => {
    for (let n = 0; n < 3; n++) {
      const created = await h.provider.createPayment(newPayment({ reference: `CT-${n}` }), fund);
      await h.payerActs(created, 'pay');
    }
    await h.provider.createPayment(newPayment({ reference: 'unpaid' }), fund);
    const day = { fromSettledDate: '2025-03-04', toSettledDate: '2025-03-04' };
    expect((await h.provider.searchSettledPayments(day, fund)).total).toBe(0);

    h.clock.advanceDays(1);
    const first = await h.provider.searchSettledPayments({ ...day, pageSize: 2 }, fund);
    expect(first).toMatchObject({ total: 3, page: 1, hasMore: true });
    expect(first.payments).toHaveLength(2);
    const second = await h.provider.searchSettledPayments({ ...day, page: 2, pageSize: 2 }, fund);
    expect(second).toMatchObject({ total: 3, page: 2, hasMore: false });
    expect(second.payments.map((p) => p.settledDate)).toEqual(['2025-03-04']);
    const later = { fromSettledDate: '2025-03-05', toSettledDate: '2025-03-31' };
    expect((await h.provider.searchSettledPayments(later, fund)).total).toBe(0);
  });

  it('refuses a payment with more than 15 metadata keys before calling the PSP', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
    await expect(h.provider.createPayment(newPayment({ metadata }), fund)).rejects.toThrow(
      RangeError,
    );
    expect(h.exchanges).toHaveLength(0);
  });

  it('maps a value GOV.UK Pay refuses to invalid_request', async () => {
    const tooBig = newPayment({ amountPence: 10_000_001 });
    const refused = h.provider.createPayment(tooBig, fund);
    await expect(refused).rejects.toBeInstanceOf(PspError);
    await expect(refused).rejects.toMatchObject({ kind: 'invalid_request', pspCode: 'P0102' });
    // The adapter sent what the spec forbids, so only the response is checked here.
    h.exchanges.length = 0;
  });
});
