// Proves manual journals on the real stack: a move of part of a payment undoes the old
// allocation and posts the new one in one journal, never more than the source still holds; a
// move or transfer is reversed once only, and not once its money has moved on; a refund after
// a move takes the money from where it now is; and every step is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import { createSandboxPsp, type SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { type TestResponse, useTestStack } from '../harness/stack';

process.env.REFUND_POLL_INITIAL_MS = '100';

const apiKey = 'journal-test-key';
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider });
const alice = { 'X-Actor': 'alice' };

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  sandbox = await createSandboxPsp({ apiKeys: [apiKey] }).start(0, '127.0.0.1');
  provider = createGovukPayProvider({ baseUrl: sandbox.url, keys: { default: apiKey } });
  await stack.startWorker();
});

afterAll(async () => {
  await sandbox?.close();
});

async function waitFor(path: string, done: (body: TestResponse['body']) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await stack.request('GET', path);
    if (done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} stuck: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function paidCouncilTax(amountPence: number): Promise<string> {
  const created = await stack.request('POST', '/v1/payments', {
    lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence }],
    description: 'Journal test',
    returnUrl: 'https://council.example/paid',
  });
  await fetch(`${created.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await waitFor(`/v1/payments/${created.body.paymentId}`, (body) => body.state === 'allocated');
  return created.body.paymentId;
}

const move = (
  paymentId: string,
  from: { fundCode: string; reference: string },
  to: { fundCode: string; reference: string },
  amountPence: number,
) =>
  stack.request(
    'POST',
    '/v1/journals/move',
    {
      source: { type: 'payment', id: paymentId },
      from,
      to,
      amountPence,
      reason: 'Paid to the wrong account',
    },
    alice,
  );

const reverse = (journalId: string) =>
  stack.request('POST', `/v1/journals/${journalId}/reverse`, { reason: 'Moved in error' }, alice);

async function holdings(sourceId: string): Promise<Record<string, number>> {
  const rows = await stack.database.sql`
    select p.account_code || ' ' || coalesce(p.account_reference, '') as place,
           sum(p.credit_pence - p.debit_pence + case when p.credit_pence > 0 then p.vat_pence else -p.vat_pence end)::bigint as gross
      from postings p join journals j on j.id = p.journal_id
     where j.source_id = ${sourceId} and p.account_code like 'FUND:%'
     group by 1 having sum(p.credit_pence - p.debit_pence) <> 0`;
  return Object.fromEntries(rows.map((row) => [row.place, row.gross]));
}

const ctax = { fundCode: 'CTAX', reference: '123456780' };

describe('moving income', () => {
  it('moves part of a payment in one journal, never more than remains, and reverses once', async () => {
    const paymentId = await paidCouncilTax(12_345);
    const moved = await move(paymentId, ctax, { fundCode: 'LIB', reference: 'loan-2' }, 1_200);
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({
      kind: 'transfer',
      sourceType: 'payment',
      sourceId: paymentId,
    });
    expect(moved.body.lines).toEqual([
      {
        accountCode: 'FUND:CTAX',
        debitPence: 1_200,
        creditPence: 0,
        accountReference: '123456780',
        vatPence: 0,
      },
      {
        accountCode: 'FUND:LIB',
        debitPence: 0,
        creditPence: 1_000,
        accountReference: 'LOAN-2',
        vatPence: 200,
      },
      {
        accountCode: 'CTRL:VAT_OUTPUT',
        debitPence: 0,
        creditPence: 200,
        accountReference: null,
        vatPence: 0,
      },
    ]);
    expect(await holdings(paymentId)).toEqual({
      'FUND:CTAX 123456780': 11_145,
      'FUND:LIB LOAN-2': 1_200,
    });

    const tooMuch = await move(paymentId, ctax, { fundCode: 'LIB', reference: 'LOAN-2' }, 11_146);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].field).toBe('body.amountPence');

    const reversed = await reverse(moved.body.journalId);
    expect(reversed.status).toBe(201);
    expect(reversed.body.reversesJournalId).toBe(moved.body.journalId);
    expect(await holdings(paymentId)).toEqual({ 'FUND:CTAX 123456780': 12_345 });
    const again = await reverse(moved.body.journalId);
    expect(again.status).toBe(409);

    const audit = await stack.request(
      'GET',
      `/v1/audit?entityType=journal&entityId=${moved.body.journalId}`,
    );
    expect(
      audit.body.items.map((r: { action: string; actor: string; reason: string }) => [
        r.action,
        r.actor,
        r.reason,
      ]),
    ).toEqual([
      ['journal.reverse', 'alice', 'Moved in error'],
      ['journal.move', 'alice', 'Paid to the wrong account'],
    ]);
  });

  it('will not undo a move whose money has since moved on', async () => {
    const paymentId = await paidCouncilTax(5_000);
    const first = await move(paymentId, ctax, { fundCode: 'SUND', reference: '12345678' }, 5_000);
    const second = await move(
      paymentId,
      { fundCode: 'SUND', reference: '12345678' },
      { fundCode: 'PCN', reference: 'BJ12345673' },
      5_000,
    );
    expect(second.status).toBe(201);
    const blocked = await reverse(first.body.journalId);
    expect(blocked.status).toBe(422);
    expect(blocked.body.errors[0].field).toBe('params.journalId');
    expect((await reverse(second.body.journalId)).status).toBe(201);
    expect((await reverse(first.body.journalId)).status).toBe(201);
    expect(await holdings(paymentId)).toEqual({ 'FUND:CTAX 123456780': 5_000 });
  });

  it('refunds a moved payment from where its money now is', async () => {
    const paymentId = await paidCouncilTax(3_000);
    await move(paymentId, ctax, { fundCode: 'LIB', reference: 'LOAN-3' }, 1_000);
    const requested = await stack.request(
      'POST',
      '/v1/refunds',
      { paymentId, amountPence: 3_000, reason: 'Overpaid' },
      alice,
    );
    await waitFor(`/v1/refunds/${requested.body.refundId}`, (body) => body.state === 'succeeded');
    expect(await holdings(paymentId)).toEqual({});
    const vat = await stack.database.sql`
      select coalesce(sum(p.credit_pence - p.debit_pence), 0)::bigint as net from postings p
        join journals j on j.id = p.journal_id
       where j.source_id = ${paymentId} and p.account_code = 'CTRL:VAT_OUTPUT'`;
    expect(vat[0]?.net).toBe(0);
  });

  it('refuses targets the money core refuses, the suspense fund, and payment journals', async () => {
    const paymentId = await paidCouncilTax(1_000);
    const badReference = await move(
      paymentId,
      ctax,
      { fundCode: 'PCN', reference: 'BJ12345674' },
      100,
    );
    expect(badReference.body.errors[0].field).toBe('body.to.reference');
    const toSuspense = await move(paymentId, ctax, { fundCode: 'SUSP', reference: 'X' }, 100);
    expect(toSuspense.body.errors[0].field).toBe('body.to.fundCode');
    const payment = await stack.request('GET', `/v1/payments/${paymentId}`);
    const paymentJournal = await reverse(payment.body.journal.journalId);
    expect(paymentJournal.status).toBe(422);
  });
});

describe('transfers between funds', () => {
  it('transfer what the account holds, are refused beyond it, and reverse once', async () => {
    await paidCouncilTax(2_000);
    const balances = await stack.request('GET', '/v1/ledger/accounts?fundCode=CTAX');
    const heldPence: number = balances.body.accounts[0].creditBalancePence;
    const body = (amountPence: number) => ({
      from: { fundCode: 'CTAX' },
      to: { fundCode: 'NNDR' },
      amountPence,
      reason: 'Year-end correction',
    });
    const refused = await stack.request(
      'POST',
      '/v1/journals/transfer',
      body(heldPence + 1),
      alice,
    );
    expect(refused.status).toBe(422);
    const transfer = await stack.request('POST', '/v1/journals/transfer', body(500), {
      ...alice,
      'Idempotency-Key': 'transfer-1',
    });
    expect(transfer.status).toBe(201);
    const replay = await stack.request('POST', '/v1/journals/transfer', body(500), {
      ...alice,
      'Idempotency-Key': 'transfer-1',
    });
    expect(replay.status).toBe(200);
    expect(replay.body.journalId).toBe(transfer.body.journalId);
    expect((await reverse(transfer.body.journalId)).status).toBe(201);
    expect((await reverse(transfer.body.journalId)).status).toBe(409);

    const viewer = await stack.keyFor('viewer', ['view']);
    const forbidden = await stack.request('POST', '/v1/journals/transfer', body(1), viewer);
    expect(forbidden.status).toBe(403);
  });
});
