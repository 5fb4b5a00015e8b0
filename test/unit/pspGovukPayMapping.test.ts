// Proves the adapter's pure parts: wire-to-port mapping refuses half-filled answers, keeps card
// data to the last four digits, and the retry policy's backoff and Retry-After rules are bounded.
import { describe, expect, it } from 'vitest';
import { PspError } from '../../psp/errors';
import { kindForStatus } from '../../psp/govukPay/http';
import { fromWireMetadata, toPspPayment, type WirePayment } from '../../psp/govukPay/mapping';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  parseRetryAfterMs,
  withRetries,
} from '../../psp/govukPay/retry';

const wire: WirePayment = {
  payment_id: 'hu20sqlact5260q2nanm0q8u93',
  amount: 1_000,
  reference: 'CT-1',
  description: 'Council tax',
  created_date: '2025-03-03T10:00:00.000Z',
  state: { status: 'success', finished: true },
  refund_summary: { status: 'available', amount_available: 1_000, amount_submitted: 0 },
  card_details: {
    card_brand: 'Visa',
    first_digits_card_number: '424242',
    last_digits_card_number: '4242',
    expiry_date: '04/29',
    cardholder_name: 'Mr Card Holder',
  },
  fee: 15,
  net_amount: -5,
};

describe('toPspPayment', () => {
  it('maps names and units, and leaves absent fields absent', () => {
    const payment = toPspPayment(wire);
    expect(payment).toEqual({
      pspPaymentId: 'hu20sqlact5260q2nanm0q8u93',
      amountPence: 1_000,
      reference: 'CT-1',
      description: 'Council tax',
      status: 'success',
      finished: true,
      createdDate: '2025-03-03T10:00:00.000Z',
      metadata: {},
      refundSummary: { status: 'available', amountAvailablePence: 1_000, amountSubmittedPence: 0 },
      feePence: 15,
      netAmountPence: -5,
      cardBrand: 'Visa',
      firstDigitsCardNumber: '424242',
      lastDigitsCardNumber: '4242',
      cardExpiryDate: '04/29',
    });
    expect(Object.values(payment)).not.toContain(undefined);
    // What GOV.UK Pay reports of the card, and no more: never the cardholder's name.
    expect(JSON.stringify(payment)).not.toContain('Card Holder');
  });

  it('refuses an answer without what the port promises, or with an unknown status', () => {
    const { payment_id: _, ...noId } = wire;
    expect(() => toPspPayment(noId)).toThrow(PspError);
    expect(() => toPspPayment({ ...wire, state: { status: 'paid', finished: true } })).toThrow(
      /state.status \(paid\)/,
    );
  });

  it('keeps only string, number and boolean metadata values', () => {
    const metadata = { a: 'x', b: 2, c: true, d: { nested: 1 } } as unknown as Parameters<
      typeof fromWireMetadata
    >[0];
    expect(fromWireMetadata(metadata)).toEqual({ a: 'x', b: 2, c: true });
  });
});

describe('kindForStatus', () => {
  it.each([
    [401, undefined, 'unauthorised'],
    [404, 'P0200', 'not_found'],
    [412, 'P0604', 'refund_amount_mismatch'],
    [400, 'P0603', 'refund_not_available'],
    [422, 'P0102', 'invalid_request'],
    [409, 'P0502', 'invalid_request'],
    [429, 'P0900', 'rate_limited'],
    [500, 'P0999', 'unavailable'],
    [503, undefined, 'unavailable'],
  ] as const)('maps %i %s to %s', (status, code, kind) => {
    expect(kindForStatus(status, code)).toBe(kind);
  });
});

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('2')).toBe(2_000);
    expect(
      parseRetryAfterMs('Mon, 03 Mar 2025 10:00:05 GMT', Date.parse('2025-03-03T10:00:00Z')),
    ).toBe(5_000);
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially with full jitter, never past the cap', () => {
    const policy = { attemptsMax: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelayMs(9, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(9, policy, () => 0)).toBe(0);
  });

  it('retries only retryable PspErrors, and at most attemptsMax times in all', async () => {
    const slept: number[] = [];
    const deps = {
      policy: defaultRetryPolicy,
      sleep: async (ms: number) => void slept.push(ms),
      random: () => 0.5,
    };
    let calls = 0;
    const flaky = () => {
      calls++;
      return Promise.reject(new PspError('unavailable', 'down'));
    };
    await expect(withRetries('op', flaky, deps)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(calls).toBe(defaultRetryPolicy.attemptsMax);
    expect(slept).toHaveLength(defaultRetryPolicy.attemptsMax - 1);

    calls = 0;
    const refused = () => {
      calls++;
      return Promise.reject(new PspError('not_found', 'no'));
    };
    await expect(withRetries('op', refused, deps)).rejects.toMatchObject({ kind: 'not_found' });
    expect(calls).toBe(1);
  });
});
