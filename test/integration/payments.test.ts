// Proves the card payment lifecycle on the real Temporal dev server and PostgreSQL against the
// sandbox PSP: success through the hosted page, decline, payer cancel, expiry, duplicate and
// out-of-order webhooks, bad signatures, PSP 500/429, a worker killed mid-payment, and racing
// POSTs with one Idempotency-Key; and that the ledger is posted exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider, signWebhook } from '../../psp';
import {
  createSandboxPsp,
  type SandboxPsp,
  type SandboxServer,
} from '../../psp/sandbox/sandboxPsp';
import { type TestResponse, useTestStack } from '../harness/stack';
import { textOf, webClient } from './webHelpers';

const webhookSecret = 'test-webhook-secret';
const apiKey = 'test-api-key';
let clockOffsetMs = 0;
let sandboxPsp: SandboxPsp;
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;

const stack = useTestStack({
  worker: false,
  psp: () => provider,
  webhookSecret,
  // Polling is slow on purpose: prompt completion proves the webhook did it.
  paymentTiming: { expiryMs: 60_000, expiryGraceMs: 5_000, pollInitialMs: 1_000, pollMaxMs: 2_000 },
});

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  sandboxPsp = createSandboxPsp({
    apiKeys: [apiKey],
    webhookUrl: `${stack.baseUrl}/v1/webhooks/govuk-pay`,
    webhookSecret,
    duplicateWebhooks: 2, // every webhook arrives three times
    webhookRetryBaseDelayMs: 50,
    sweepIntervalMs: 100,
    now: () => new Date(Date.now() + clockOffsetMs),
  });
  sandbox = await sandboxPsp.start(0, '127.0.0.1');
  provider = createGovukPayProvider({
    baseUrl: sandbox.url,
    keys: { default: apiKey },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  await stack.startWorker();
});

afterAll(async () => {
  await sandbox?.close();
});

const basket = (overrides: Record<string, unknown> = {}) => ({
  lines: [
    { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345 },
    { fundCode: 'PCN', reference: 'bj12345673', amountPence: 7_000 },
  ],
  description: 'Council tax and a parking fine',
  returnUrl: 'https://council.example/paid',
  ...overrides,
});

async function createPayment(
  body = basket(),
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return stack.request('POST', '/v1/payments', body, headers);
}

async function waitForState(
  paymentId: string,
  states: string[],
  timeoutMs = 20_000,
): Promise<TestResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await stack.request('GET', `/v1/payments/${paymentId}`);
    if (states.includes(response.body.state)) return response;
    if (Date.now() > deadline)
      throw new Error(`payment ${paymentId} stuck in ${response.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Submits the sandbox's hosted payment page form, as a payer's browser would. */
async function payerChooses(nextUrl: string, action: 'pay' | 'decline' | 'cancel'): Promise<void> {
  const page = await fetch(nextUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(`/${action}"`);
  const { origin, pathname } = new URL(nextUrl);
  const submitted = await fetch(`${origin}${pathname}/${action}`, {
    method: 'POST',
    redirect: 'manual',
  });
  expect(submitted.status).toBe(303);
  expect(submitted.headers.get('location')).toBe('https://council.example/paid');
}

async function journalCount(paymentId: string): Promise<number> {
  const rows = await stack.database
    .sql`select count(*)::int as n from journals where source_type = 'payment' and source_id = ${paymentId}`;
  return rows[0]?.n ?? -1;
}

describe('a card payment', () => {
  it('is paid on the hosted page and allocated to each fund once, with fee and receipt', async () => {
    const created = await createPayment();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'awaiting_payment', amountPence: 19_345 });
    expect(created.body.nextUrl).toMatch(new RegExp(`^${sandbox.url}/pay/`));

    await payerChooses(created.body.nextUrl, 'pay');
    const done = await waitForState(created.body.paymentId, ['allocated'], 8_000);
    const fee = Math.floor((19_345 * 150) / 10_000);
    expect(done.body.lines).toEqual([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345, vatCode: 'O' },
      { fundCode: 'PCN', reference: 'BJ12345673', amountPence: 7_000, vatCode: 'O' },
    ]);
    expect(done.body.journal.lines).toEqual([
      {
        accountCode: 'CTRL:PSP_CLEARING',
        debitPence: 19_345,
        creditPence: 0,
        accountReference: null,
      },
      {
        accountCode: 'FUND:CTAX',
        debitPence: 0,
        creditPence: 12_345,
        accountReference: '123456780',
      },
      {
        accountCode: 'FUND:PCN',
        debitPence: 0,
        creditPence: 7_000,
        accountReference: 'BJ12345673',
      },
      { accountCode: 'CTRL:PSP_FEES', debitPence: fee, creditPence: 0, accountReference: null },
      { accountCode: 'CTRL:PSP_CLEARING', debitPence: 0, creditPence: fee, accountReference: null },
    ]);
    expect(done.body.timeline.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['requested', 'validated', 'psp_created', 'psp_success', 'allocated']),
    );

    await sandboxPsp.webhooksIdle();
    expect(await journalCount(created.body.paymentId)).toBe(1);
    const receipts = await stack.database
      .sql`select payload from outbox where dedupe_key = ${`receipt:${created.body.paymentId}`}`;
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.payload).toMatchObject({
      paymentId: created.body.paymentId,
      amountPence: 19_345,
    });

    const listed = await stack.request('GET', '/v1/payments?reference=bj12345673&state=allocated');
    expect(listed.body.payments.map((p: { id: string }) => p.id)).toContain(created.body.paymentId);
  });

  it('records a decline and posts nothing', async () => {
    const created = await createPayment();
    await payerChooses(created.body.nextUrl, 'decline');
    const done = await waitForState(created.body.paymentId, ['failed']);
    expect(done.body).toMatchObject({ failureCode: 'P0010', journal: null });
    expect(await journalCount(created.body.paymentId)).toBe(0);
  });

  it('records the payer cancelling on the PSP page', async () => {
    const created = await createPayment();
    await payerChooses(created.body.nextUrl, 'cancel');
    const done = await waitForState(created.body.paymentId, ['cancelled']);
    expect(done.body.journal).toBeNull();
  });

  it('expires when the payer never comes back', async () => {
    const created = await createPayment();
    clockOffsetMs = 91 * 60_000; // the sandbox's clock jumps past GOV.UK Pay's 90 minutes
    try {
      sandboxPsp.sweep();
      const done = await waitForState(created.body.paymentId, ['expired']);
      expect(done.body).toMatchObject({ failureCode: 'P0020', journal: null });
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('expires by our own deadline when the PSP never finishes', async () => {
    const timing = stack.api.paymentTiming;
    stack.api.paymentTiming = {
      expiryMs: 500,
      expiryGraceMs: 500,
      pollInitialMs: 200,
      pollMaxMs: 400,
    };
    try {
      const created = await createPayment();
      const done = await waitForState(created.body.paymentId, ['expired']);
      expect(done.body.timeline.map((e: { event: string }) => e.event)).toContain(
        'cancel_requested',
      );
      expect(await journalCount(created.body.paymentId)).toBe(0);
    } finally {
      stack.api.paymentTiming = timing;
    }
  });
});

describe('an operator cancelling a payment', () => {
  it('cancels it at the PSP and records it cancelled, posting nothing', async () => {
    const created = await createPayment();
    const handle = stack.temporal.workflow.getHandle(created.body.paymentId);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const payment = await waitForState(created.body.paymentId, ['cancelled']);
    expect(payment.body.journal).toBeNull();
    expect(await journalCount(created.body.paymentId)).toBe(0);
    // The payer can no longer pay: the PSP has the payment cancelled too.
    const page = await fetch(created.body.nextUrl);
    expect(await page.text()).toContain('This payment has finished');
  });

  it('still allocates money the payer paid before the cancel reached the PSP', async () => {
    const created = await createPayment();
    await payerChooses(created.body.nextUrl, 'pay');
    const handle = stack.temporal.workflow.getHandle(created.body.paymentId);
    // The workflow may have allocated already (a webhook was quick), or be cancelled first.
    await handle.cancel().catch(() => undefined);
    await handle.result().catch(() => undefined);
    const payment = await waitForState(created.body.paymentId, ['allocated', 'cancelled']);
    expect(payment.body.state).toBe('allocated');
    expect(await journalCount(created.body.paymentId)).toBe(1);
  });
});

describe('webhooks', () => {
  it('are harmless three times over and out of order', async () => {
    const created = await createPayment();
    await payerChooses(created.body.nextUrl, 'pay');
    await waitForState(created.body.paymentId, ['allocated']);
    const psp = await stack.database
      .sql`select psp_payment_id from payments where id = ${created.body.paymentId}`;
    // A stale "started" event arriving after success, three times.
    const stale = JSON.stringify({
      webhook_message_id: 'stale-1',
      created_date: new Date(0).toISOString(),
      resource_id: psp[0]?.psp_payment_id,
      api_version: 1,
      resource_type: 'payment',
      event_type: 'card_payment_started',
      resource: { metadata: { ims_payment_id: created.body.paymentId } },
    });
    for (let i = 0; i < 3; i++) {
      const response = await stack.request('POST', '/v1/webhooks/govuk-pay', stale, {
        'content-type': 'application/json',
        'pay-signature': signWebhook(stale, webhookSecret),
      });
      expect(response.status).toBe(200);
    }
    await sandboxPsp.webhooksIdle();
    expect((await stack.request('GET', `/v1/payments/${created.body.paymentId}`)).body.state).toBe(
      'allocated',
    );
    expect(await journalCount(created.body.paymentId)).toBe(1);
  });

  it('are refused with 401 when the signature is missing, wrong or for another body', async () => {
    const body = JSON.stringify({
      resource_id: 'x',
      resource_type: 'payment',
      event_type: 'card_payment_succeeded',
    });
    const json = { 'content-type': 'application/json' };
    expect((await stack.request('POST', '/v1/webhooks/govuk-pay', body, json)).status).toBe(401);
    expect(
      (
        await stack.request('POST', '/v1/webhooks/govuk-pay', body, {
          ...json,
          'pay-signature': signWebhook(body, 'wrong-secret'),
        })
      ).status,
    ).toBe(401);
    const tampered = await stack.request('POST', '/v1/webhooks/govuk-pay', body.replace('x', 'y'), {
      ...json,
      'pay-signature': signWebhook(body, webhookSecret),
    });
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('failures', () => {
  it('survives the PSP answering 500, then 429, then success', async () => {
    const before = sandboxPsp.stats().faultsServed;
    const faults = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responses: [{ status: 500 }, { status: 429 }], path: '/v1/payments' }),
    });
    expect(faults.status).toBe(204);
    const created = await createPayment();
    expect(created.status).toBe(201);
    expect(sandboxPsp.stats().faultsServed - before).toBe(2);
    await payerChooses(created.body.nextUrl, 'pay');
    await waitForState(created.body.paymentId, ['allocated']);
    expect(await journalCount(created.body.paymentId)).toBe(1);
  });

  it('answers a PSP outage with a retryable 503 that names the payment it kept', {
    timeout: 90_000,
  }, async () => {
    // More failures than the client's own tries: the workflow's PSP call fails and retries.
    const outage = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        responses: Array.from({ length: 500 }, () => ({ status: 503 })),
        path: '/v1/payments',
      }),
    });
    expect(outage.status).toBe(204);
    const key = { 'Idempotency-Key': `outage-${Date.now()}` };
    try {
      const refused = await createPayment(basket(), key);
      // Before the 10 s checkout wait ends (which would be a 202): the first failure decides.
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.headers.get('retry-after')).toBe('10');
      const paymentId: string = refused.body.paymentId;
      expect(paymentId).toMatch(/^pay_[0-9a-z]{20}$/);
      expect(refused.headers.get('location')).toBe(`/v1/payments/${paymentId}`);
      expect(refused.body).toMatchObject({ type: 'urn:ims:problem:dependency_unavailable' });
      expect(refused.body.detail).toContain(paymentId);
      // Kept and findable, still asking the PSP; the same request again is the same payment.
      const kept = await stack.request('GET', `/v1/payments/${paymentId}`);
      expect(kept.status).toBe(200);
      expect(['validating', 'creating']).toContain(kept.body.state);
      const again = await createPayment(basket(), key);
      expect(again.status).toBe(503);
      expect(again.body.paymentId).toBe(paymentId);
      // On screen the clerk is shown the kept payment and told not to take the card elsewhere.
      const page = webClient(stack);
      const posted = await page('POST', '/payments/new', {
        form: {
          fundCode: 'CTAX',
          reference: '123456780',
          amount: '12.00',
          description: 'Council tax',
          method: 'CSS',
          formId: randomUUID(),
        },
      });
      expect(posted.status).toBe(303);
      expect(posted.location).toMatch(/^\/payments\/pay_[0-9a-z]{20}\/pay\?provider=down$/);
      const shown = await page('GET', posted.location!);
      expect(textOf(shown.html)).toContain('The card payment provider is not answering');
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
    }
    // The PSP is back: the workflow's next try gets the page, and the retry is answered with it.
    let answered: TestResponse | undefined;
    for (let attempt = 0; attempt < 120; attempt++) {
      answered = await createPayment(basket(), key);
      if (answered.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(answered?.status).toBe(200);
    expect(answered?.body.nextUrl).toContain(sandbox.url);
    await payerChooses(answered?.body.nextUrl, 'pay');
    await waitForState(answered?.body.paymentId, ['allocated']);
    expect(await journalCount(answered?.body.paymentId)).toBe(1);
  });

  it('completes, posting once, when the worker is killed mid-payment', async () => {
    const created = await createPayment();
    expect(created.body.state).toBe('awaiting_payment');
    await stack.stopWorker();
    await payerChooses(created.body.nextUrl, 'pay');
    await sandboxPsp.webhooksIdle();
    expect((await stack.request('GET', `/v1/payments/${created.body.paymentId}`)).body.state).toBe(
      'awaiting_payment',
    );
    await stack.startWorker();
    await waitForState(created.body.paymentId, ['allocated']);
    expect(await journalCount(created.body.paymentId)).toBe(1);
  });

  it('gives one payment for two racing POSTs with one Idempotency-Key, and refuses the key for another body', async () => {
    const headers = { 'Idempotency-Key': `race-${Date.now()}` };
    const [first, second] = await Promise.all([
      createPayment(basket(), headers),
      createPayment(basket(), headers),
    ]);
    expect(first.body.paymentId).toBe(second.body.paymentId);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body.nextUrl).toBe(second.body.nextUrl);
    const rows = await stack.database
      .sql`select count(*)::int as n from payments where idempotency_key = ${headers['Idempotency-Key']}`;
    expect(rows[0]?.n).toBe(1);

    const other = await createPayment(basket({ description: 'Something else' }), headers);
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([
      expect.objectContaining({ field: 'headers.idempotency-key' }),
    ]);
  });

  it('refuses a bad basket naming each line, writing nothing', async () => {
    const count = async () =>
      (await stack.database.sql`select count(*)::int as n from payments`)[0]?.n;
    const before = await count();
    const refused = await createPayment(
      basket({
        lines: [
          { fundCode: 'PCN', reference: 'BJ12345674', amountPence: 7_000 },
          { fundCode: 'CTAX', reference: '123456780', amountPence: 100 },
          { fundCode: 'NOPE', reference: '1', amountPence: 1 },
        ],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.lines[0].reference',
      'body.lines[2].fundCode',
    ]);
    const malformed = await createPayment(
      basket({ lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1.5 }] }),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      expect.objectContaining({ field: 'body.lines[0].amountPence' }),
    ]);
    expect(await count()).toBe(before);
  });
});

describe('listing payments by fund', () => {
  it('finds payments with a line for the fund, each with its funds, within the caller’s scope', async () => {
    const mixed = (await createPayment()).body.paymentId as string; // CTAX and PCN
    const ctaxOnly = (
      await createPayment(
        basket({ lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 500 }] }),
      )
    ).body.paymentId as string;
    const idsOf = (response: TestResponse) =>
      response.body.payments.map((p: { id: string }) => p.id) as string[];

    const pcn = await stack.request('GET', '/v1/payments?fundCode=PCN&limit=200');
    expect(pcn.status).toBe(200);
    expect(idsOf(pcn)).toContain(mixed);
    expect(idsOf(pcn)).not.toContain(ctaxOnly);
    for (const payment of pcn.body.payments) expect(payment.fundCodes).toContain('PCN');
    expect(pcn.body.payments.find((p: { id: string }) => p.id === mixed).fundCodes).toEqual([
      'CTAX',
      'PCN',
    ]);
    const all = await stack.request('GET', '/v1/payments?limit=200');
    expect(all.body.payments.find((p: { id: string }) => p.id === ctaxOnly).fundCodes).toEqual([
      'CTAX',
    ]);

    // Parking and enforcement only (PCN, FPN): a fund outside the scope finds nothing, not 403.
    const parking = await stack.keyFor('parking.payments', ['view'], ['PKE']);
    const outside = await stack.request('GET', '/v1/payments?fundCode=CTAX', undefined, parking);
    expect(outside.status).toBe(200);
    expect(outside.body).toEqual({ payments: [], nextCursor: null });
    const inside = await stack.request(
      'GET',
      '/v1/payments?fundCode=PCN&limit=200',
      undefined,
      parking,
    );
    expect(idsOf(inside)).toContain(mixed);
    expect(idsOf(inside)).not.toContain(ctaxOnly);
    const unfiltered = await stack.request('GET', '/v1/payments?limit=200', undefined, parking);
    expect(idsOf(unfiltered)).not.toContain(ctaxOnly);
  });

  it('refuses a malformed fund code naming the field', async () => {
    const bad = await stack.request('GET', '/v1/payments?fundCode=ctax');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.fundCode' })]);
  });
});
