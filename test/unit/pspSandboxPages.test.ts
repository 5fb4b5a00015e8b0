// Proves the sandbox's hosted page and control routes: an accessible, script-free page that
// escapes what it shows, moves the payment to started, and returns the payer to the service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  contractViolations,
  fund,
  newPayment,
  type PspHarness,
  startPspHarness,
} from './pspHarness';

let h: PspHarness;
beforeEach(async () => {
  h = await startPspHarness();
});
afterEach(async () => {
  expect(contractViolations(h.exchanges)).toEqual([]);
  await h.close();
});

describe('hosted payment page', () => {
  it('shows the payment safely, without JavaScript, and marks it started', async () => {
    const input = newPayment({ description: '<script>alert(1)</script> & co', language: 'cy' });
    const created = await h.provider.createPayment(input, fund);
    const page = await fetch(created.nextUrl ?? '');
    const html = await page.text();

    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<html lang="cy">');
    expect(html).toContain('£123.45');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<form method="post"/g)).toHaveLength(3);
    expect((await h.provider.getPayment(created.pspPaymentId, fund)).status).toBe('started');
  });

  it('sends a second click, and a revisit, back to the service once the journey has ended', async () => {
    const created = await h.provider.createPayment(newPayment(), fund);
    await h.payerActs(created, 'pay');
    const again = await fetch(`${h.server.url}/pay/${created.pspPaymentId}/decline`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(again.status).toBe(303);
    expect((await h.provider.getPayment(created.pspPaymentId, fund)).status).toBe('success');
    const revisit = await (await fetch(`${h.server.url}/pay/${created.pspPaymentId}`)).text();
    expect(revisit).toContain('This payment has finished');
  });

  it('answers 404 for an unknown payment', async () => {
    expect((await fetch(`${h.server.url}/pay/nosuchpayment`)).status).toBe(404);
  });
});

describe('sandbox controls', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${h.server.url}/__sandbox${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('completes a payment with a per-payment fee, and refuses to complete it twice', async () => {
    const created = await h.provider.createPayment(newPayment({ amountPence: 10 }), fund);
    const path = `/payments/${created.pspPaymentId}/complete`;
    expect((await post(path, { outcome: 'success', feePence: 20 })).status).toBe(204);
    const paid = await h.provider.getPayment(created.pspPaymentId, fund);
    expect(paid).toMatchObject({ status: 'success', feePence: 20, netAmountPence: -10 });
    expect((await post(path, { outcome: 'declined' })).status).toBe(409);
  });

  it('refuses malformed control requests with a message', async () => {
    const bad = await post('/faults', { responses: [{ status: 200 }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'SANDBOX_BAD_REQUEST' });
    expect((await post('/payments/nosuch/complete', { outcome: 'success' })).status).toBe(404);
  });
});
