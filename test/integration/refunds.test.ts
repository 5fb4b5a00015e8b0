import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import {
  createSandboxPsp,
  type SandboxPsp,
  type SandboxServer,
} from '../../psp/sandbox/sandboxPsp';
import { recordHistory as recordDecodedHistory, recordingHistories } from '../harness/histories';
import { type TestResponse, useTestStack } from '../harness/stack';

// Read when the routes are built: poll the PSP quickly so tests finish promptly.
process.env.REFUND_POLL_INITIAL_MS = '100';
process.env.REFUND_POLL_MAX_MS = '400';

const apiKey = 'refund-test-key';
let sandboxPsp: SandboxPsp;
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider });
const alice = { 'X-Actor': 'alice' };
const bob = { 'X-Actor': 'bob' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  // Refunds stay `submitted` a little while, as at a real PSP, so a worker can stop mid-refund.
  sandboxPsp = createSandboxPsp({ apiKeys: [apiKey], refundSuccessDelayMs: 300 });
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

/** With RECORD_HISTORIES=1, keeps this run's history (decoded) for replay.test.ts. */
const recordHistory = (workflowId: string, name: string) =>
  recordingHistories ? recordDecodedHistory(stack, workflowId, name) : Promise.resolve();

async function waitFor(path: string, done: (body: TestResponse['body']) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await stack.request('GET', path);
    if (done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} stuck: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finalStates = ['succeeded', 'failed', 'rejected'];
const refundDone = (refundId: string) =>
  waitFor(`/v1/refunds/${refundId}`, (body) => finalStates.includes(body.state));

/** A paid card payment: created through the API, paid on the sandbox's hosted page. */
async function paidPayment(lines: { fundCode: string; reference: string; amountPence: number }[]) {
  const created = await stack.request('POST', '/v1/payments', {
    lines,
    description: 'Refund test',
    returnUrl: 'https://council.example/paid',
  });
  expect(created.status).toBe(201);
  await fetch(`${created.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await waitFor(`/v1/payments/${created.body.paymentId}`, (body) => body.state === 'allocated');
  const rows = await stack.database
    .sql`select psp_payment_id from payments where id = ${created.body.paymentId}`;
  return {
    paymentId: created.body.paymentId as string,
    pspPaymentId: rows[0]?.psp_payment_id as string,
  };
}

const requestRefund = (
  paymentId: string,
  amountPence: number,
  headers: Record<string, string> = alice,
) =>
  stack.request('POST', '/v1/refunds', { paymentId, amountPence, reason: 'Paid twice' }, headers);

async function sandboxRefunds(pspPaymentId: string): Promise<{ amount: number; status: string }[]> {
  const response = await fetch(`${sandbox.url}/v1/payments/${pspPaymentId}/refunds`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return (
    (await response.json()) as { _embedded: { refunds: { amount: number; status: string }[] } }
  )._embedded.refunds;
}

async function refundJournals(paymentId: string) {
  return stack.database
    .sql`select id from journals where source_id = ${paymentId} and kind = 'refund'`;
}

/** Net movement per account of every journal posted for the payment (debits positive). */
async function netBySource(paymentId: string): Promise<Record<string, number>> {
  const rows = await stack.database.sql`
    select p.account_code, sum(p.debit_pence - p.credit_pence)::bigint as net
      from postings p join journals j on j.id = p.journal_id
     where j.source_id = ${paymentId} group by p.account_code`;
  return Object.fromEntries(rows.map((row) => [row.account_code, row.net]));
}

describe('card refunds', () => {
  it('refund in full: the allocation and its VAT reversed to the penny, notified once', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 12_345 },
      { fundCode: 'LIB', reference: 'LOAN-9', amountPence: 1_001 },
    ]);
    const requested = await requestRefund(paymentId, 13_346);
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      method: 'card',
      approvalRequired: false,
      fundCodes: ['CTAX', 'LIB'],
    });
    const done = await refundDone(requested.body.refundId);
    expect(done).toMatchObject({ state: 'succeeded', pspStatus: 'success' });
    const net = await netBySource(paymentId);
    expect(net['FUND:CTAX']).toBe(0);
    expect(net['FUND:LIB']).toBe(0);
    expect(net['CTRL:VAT_OUTPUT']).toBe(0);
    expect(net['CTRL:REFUNDS_PAYABLE']).toBe(0);
    expect(await sandboxRefunds(pspPaymentId)).toEqual([
      expect.objectContaining({ amount: 13_346 }),
    ]);
    const notices = await stack.database
      .sql`select payload from outbox where dedupe_key = ${`refund:${requested.body.refundId}:succeeded`}`;
    expect(notices).toHaveLength(1);
  });

  it('refunds in parts, each posted once, until nothing is refundable', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'LIB', reference: 'LOAN-7', amountPence: 1_001 },
    ]);
    for (const amount of [1, 500, 500]) {
      const requested = await requestRefund(paymentId, amount);
      expect((await refundDone(requested.body.refundId)).state).toBe('succeeded');
    }
    expect(await refundJournals(paymentId)).toHaveLength(3);
    expect(await netBySource(paymentId)).toMatchObject({ 'FUND:LIB': 0, 'CTRL:VAT_OUTPUT': 0 });
    expect((await sandboxRefunds(pspPaymentId)).map((r) => r.amount)).toEqual([1, 500, 500]);
    const more = await requestRefund(paymentId, 1);
    expect(more.status).toBe(422);
    expect(more.body.errors[0].field).toBe('body.amountPence');
  });
});

describe('approval', () => {
  it('holds a fund to its own threshold, audited, and back to the default when cleared', async () => {
    const { paymentId } = await paidPayment([
      { fundCode: 'LIB', reference: 'LOAN-11', amountPence: 3_000 },
    ]);
    const strict = await stack.request(
      'PATCH',
      '/v1/funds/LIB',
      { refundApprovalAbovePence: 500, reason: 'Library refunds are checked' },
      { 'X-Actor': 'fin.admin' },
    );
    expect(strict.status).toBe(200);
    expect(strict.body.refundApprovalAbovePence).toBe(500);
    const held = await requestRefund(paymentId, 501);
    expect(held.body).toMatchObject({ approvalRequired: true });
    const small = await requestRefund(paymentId, 500, bob);
    expect(small.body).toMatchObject({ approvalRequired: false });
    const [audit] = (await stack.request('GET', '/v1/audit?entityType=fund&entityId=LIB')).body
      .items;
    expect(audit).toMatchObject({
      action: 'fund.update',
      actor: 'fin.admin',
      reason: 'Library refunds are checked',
      after: { refundApprovalAbovePence: 500 },
    });
    const cleared = await stack.request('PATCH', '/v1/funds/LIB', {
      refundApprovalAbovePence: null,
    });
    expect(cleared.body.refundApprovalAbovePence).toBeNull();
    // Back to the council's default (£500): 501 pence no longer needs anyone else.
    const unheld = await requestRefund(paymentId, 501, bob);
    expect(unheld.body).toMatchObject({ approvalRequired: false });
  });

  it('waits above the threshold; the requester cannot approve; refunds in flight count', async () => {
    const { paymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 70_000 },
    ]);
    const big = await requestRefund(paymentId, 60_000);
    expect(big.body).toMatchObject({ approvalRequired: true });
    await waitFor(`/v1/refunds/${big.body.refundId}`, (body) => body.state === 'awaiting_approval');

    const tooMuch = await requestRefund(paymentId, 10_001, bob);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].message).toMatch(/Only £100\.00 of this payment/);

    const self = await stack.request('POST', `/v1/refunds/${big.body.refundId}/approve`, {}, alice);
    expect(self.status).toBe(403);
    expect(self.body.errors).toEqual([
      { field: 'actor', message: 'must not be the person who requested the refund' },
    ]);
    expect(await refundJournals(paymentId)).toHaveLength(0);

    const approved = await stack.request(
      'POST',
      `/v1/refunds/${big.body.refundId}/approve`,
      {},
      bob,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ decidedBy: 'bob' });
    expect((await refundDone(big.body.refundId)).state).toBe('succeeded');
    await stack.temporal.workflow.getHandle(big.body.refundId).result();
    await recordHistory(big.body.refundId, 'refund-card-approved');
    const twice = await stack.request('POST', `/v1/refunds/${big.body.refundId}/approve`, {}, bob);
    expect(twice.status).toBe(409);
  });

  it('is rejected with a reason, posting nothing and freeing the amount', async () => {
    const { paymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 60_000 },
    ]);
    const big = await requestRefund(paymentId, 60_000);
    await waitFor(`/v1/refunds/${big.body.refundId}`, (body) => body.state === 'awaiting_approval');
    const noReason = await stack.request(
      'POST',
      `/v1/refunds/${big.body.refundId}/reject`,
      {},
      bob,
    );
    expect(noReason.status).toBe(400);
    const rejected = await stack.request(
      'POST',
      `/v1/refunds/${big.body.refundId}/reject`,
      { reason: 'Not owed' },
      bob,
    );
    expect(rejected.body).toMatchObject({ state: 'rejected', decisionReason: 'Not owed' });
    expect(await refundJournals(paymentId)).toHaveLength(0);
    expect((await requestRefund(paymentId, 100)).status).toBe(201);
  });
});

describe('never twice', () => {
  it('recognises its own refund after a lost answer and the 412 on the retry', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 5_000 },
    ]);
    // The sandbox makes the refund, then loses the answer; the adapter's retry meets 412.
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        responses: [{ status: 500, afterHandling: true }],
        path: `/v1/payments/${pspPaymentId}/refunds`,
      }),
    });
    const requested = await requestRefund(paymentId, 2_000);
    expect(await refundDone(requested.body.refundId)).toMatchObject({
      state: 'succeeded',
      pspStatus: 'detected',
    });
    expect(await sandboxRefunds(pspPaymentId)).toHaveLength(1);
    expect(await refundJournals(paymentId)).toHaveLength(1);
  });

  it('submits racing refunds of one payment one at a time, each once', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 9_000 },
    ]);
    const [first, second, third] = await Promise.all([
      requestRefund(paymentId, 3_000),
      requestRefund(paymentId, 4_000),
      requestRefund(paymentId, 2_001),
    ]);
    const accepted = [first, second, third].filter((r) => r?.status === 201);
    expect(accepted).toHaveLength(2);
    for (const response of accepted)
      expect((await refundDone(response!.body.refundId)).state).toBe('succeeded');
    expect(await sandboxRefunds(pspPaymentId)).toHaveLength(2);
    expect(await refundJournals(paymentId)).toHaveLength(2);
  });

  it('fails with the PSP’s reason and posts nothing when the PSP refuses', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 4_000 },
    ]);
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        responses: [{ status: 400 }],
        path: `/v1/payments/${pspPaymentId}/refunds`,
      }),
    });
    const requested = await requestRefund(paymentId, 1_000);
    const done = await refundDone(requested.body.refundId);
    expect(done.state).toBe('failed');
    expect(done.failureReason).toMatch(/SANDBOX_FAULT/);
    expect(await refundJournals(paymentId)).toHaveLength(0);
    expect(await sandboxRefunds(pspPaymentId)).toHaveLength(0);
    // A failed refund holds nothing back.
    expect((await requestRefund(paymentId, 4_000)).status).toBe(201);
  });

  it('completes once when the worker stops mid-refund and starts again', async () => {
    const { paymentId, pspPaymentId } = await paidPayment([
      { fundCode: 'CTAX', reference: '123456780', amountPence: 3_000 },
    ]);
    const requested = await requestRefund(paymentId, 3_000);
    await waitFor(`/v1/refunds/${requested.body.refundId}`, (body) =>
      ['submitted', 'succeeded'].includes(body.state),
    );
    await stack.stopWorker();
    await stack.startWorker();
    expect((await refundDone(requested.body.refundId)).state).toBe('succeeded');
    expect(await sandboxRefunds(pspPaymentId)).toHaveLength(1);
    expect(await refundJournals(paymentId)).toHaveLength(1);
  });

  it('refuses a payment that took no money, and callers without the permission', async () => {
    const unpaid = await stack.request('POST', '/v1/payments', {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 100 }],
      description: 'never paid',
      returnUrl: 'https://council.example/paid',
    });
    const refused = await requestRefund(unpaid.body.paymentId, 100);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('body.paymentId');
    const viewer = await stack.keyFor('viewer', ['view']);
    const forbidden = await requestRefund(unpaid.body.paymentId, 100, viewer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('refund.request');
    const anonymous = await requestRefund(unpaid.body.paymentId, 100, { Authorization: '' });
    expect(anonymous.status).toBe(401);
  });
});
