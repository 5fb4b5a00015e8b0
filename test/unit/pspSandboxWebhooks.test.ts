// Proves the sandbox's webhooks: GOV.UK Pay's envelope around a spec-valid payment, signed so
// verifyWebhookSignature accepts them, redelivered after a failure, bounded, and duplicated on request.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../psp/webhookSignature';
import {
  contract,
  contractViolations,
  fund,
  newPayment,
  type PspHarness,
  startPspHarness,
  webhookSecret,
} from './pspHarness';

let h: PspHarness;
afterEach(async () => {
  expect(contractViolations(h.exchanges)).toEqual([]);
  await h.close();
});

const eventTypes = (harness: PspHarness) =>
  harness.receiver.received
    .filter((r) => r.answeredStatus === 200)
    .map((r) => r.message.event_type);

describe('sandbox webhooks', () => {
  it('sends each state change, signed over the raw body, with a spec-valid payment inside', async () => {
    h = await startPspHarness();
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(created, 'pay');
    await h.sandbox.webhooksIdle();

    // GOV.UK Pay promises no order, and neither does the sandbox: compare as sets.
    expect(eventTypes(h).sort()).toEqual([
      'card_payment_captured',
      'card_payment_started',
      'card_payment_succeeded',
    ]);
    for (const { rawBody, signature, message } of h.receiver.received) {
      expect(verifyWebhookSignature(rawBody, signature, webhookSecret)).toBe(true);
      expect(verifyWebhookSignature(rawBody, signature, 'another-secret')).toBe(false);
      expect(message).toMatchObject({
        api_version: 1,
        resource_type: 'payment',
        resource_id: created.pspPaymentId,
        webhook_message_id: expect.any(String),
        created_date: '2025-03-03T10:00:00.000Z',
      });
      expect(contract.checkSchema('PaymentWithAllLinks', message.resource)).toEqual([]);
    }
    const captured = h.receiver.received.find(
      (r) => r.message.event_type === 'card_payment_captured',
    );
    expect(captured?.message.resource.state).toEqual({ status: 'success', finished: true });
  });

  it('announces failures, cancellations, expiry (by the timer), settlement and refunds', async () => {
    h = await startPspHarness({ expiryMs: 60_000 });
    const declined = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(declined, 'decline');
    const cancelled = await h.provider.createPayment(newPayment(), fund);
    await h.provider.cancelPayment(cancelled.pspPaymentId, fund);
    const paid = await h.provider.createPayment(newPayment({ amountPence: 500 }), fund);
    await h.payerActs(paid, 'pay');
    await h.provider.refundPayment(
      { pspPaymentId: paid.pspPaymentId, amountPence: 500, refundAmountAvailablePence: 500 },
      fund,
    );
    await h.provider.createPayment(newPayment(), fund);
    h.clock.advanceDays(1);
    h.sandbox.sweep();
    await h.sandbox.webhooksIdle();

    expect(eventTypes(h)).toEqual(
      expect.arrayContaining([
        'card_payment_failed',
        'card_payment_cancelled',
        'card_payment_expired',
        'card_payment_settled',
        'card_payment_refunded',
      ]),
    );
  });

  it('delivers again after the receiver answers 500', async () => {
    h = await startPspHarness();
    h.receiver.failNext(1);
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(created, 'pay');
    await h.sandbox.webhooksIdle();

    const [first, second] = h.receiver.received;
    expect(first?.answeredStatus).toBe(500);
    const retried = h.receiver.received.filter(
      (r) => r.message.webhook_message_id === first?.message.webhook_message_id,
    );
    expect(retried.map((r) => r.answeredStatus)).toEqual([500, 200]);
    expect(retried[1]?.rawBody.equals(first?.rawBody ?? Buffer.alloc(0))).toBe(true);
    expect(second).toBeDefined();
    expect(h.sandbox.stats().webhooks).toMatchObject({ messages: 3, delivered: 3, abandoned: 0 });
  });

  it('gives up after webhookAttemptsMax tries', async () => {
    h = await startPspHarness({ webhookAttemptsMax: 3 });
    h.receiver.failForever();
    await h.provider.createPayment(newPayment(), fund).then((p) => h.payerActs(p, 'pay'));
    await h.sandbox.webhooksIdle();
    expect(h.sandbox.stats().webhooks).toEqual({
      messages: 3,
      attempts: 9,
      delivered: 0,
      abandoned: 3,
    });
  });

  it('sends each message duplicateWebhooks extra times, byte for byte', async () => {
    h = await startPspHarness({ duplicateWebhooks: 2 });
    const created = await h.provider.createPayment(newPayment(), fund);
    await fetch(`${h.server.url}/__sandbox/payments/${created.pspPaymentId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'error' }),
    });
    await h.sandbox.webhooksIdle();

    const byId = new Map<string, typeof h.receiver.received>();
    for (const r of h.receiver.received) {
      const id = r.message.webhook_message_id;
      byId.set(id, [...(byId.get(id) ?? []), r]);
    }
    expect([...byId.values()].map((copies) => copies.length)).toEqual([3, 3]);
    for (const copies of byId.values()) {
      expect(new Set(copies.map((c) => c.rawBody.toString('utf8'))).size).toBe(1);
    }
    const outcome = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(outcome).toMatchObject({ status: 'error', finished: true, failureCode: 'P0050' });
  });
});
