// Two councils with the same funds and references take card payments and refund them at the
// same time, through one PSP sandbox, one worker and one Temporal namespace: each refund
// reaches its own council's payment, and each ledger balances on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { createGovukPayProvider, type PaymentServiceProvider } from '../../psp';
import { createSandboxPsp, type SandboxServer } from '../../psp/sandbox/sandboxPsp';
import { onboardDemoCouncil } from '../harness/councils';
import { type TestResponse, useTestStack } from '../harness/stack';

process.env.REFUND_POLL_INITIAL_MS = '100';
process.env.REFUND_POLL_MAX_MS = '400';

const apiKey = 'tenancy-refund-key';
let sandbox: SandboxServer;
let provider: PaymentServiceProvider;
const stack = useTestStack({ worker: false, psp: () => provider });
// Its own council id: test files share one Temporal server, where schedule ids are global.
const other = 'westshire';
let councils: Record<string, Record<string, string>>;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  sandbox = await createSandboxPsp({ apiKeys: [apiKey] }).start(0, '127.0.0.1');
  provider = createGovukPayProvider({ baseUrl: sandbox.url, keys: { default: apiKey } });
  await stack.startWorker();
  councils = {
    default: await stack.authHeaders(),
    [other]: await onboardDemoCouncil(stack, other),
  };
});

afterAll(async () => {
  await sandbox?.close();
});

async function waitFor(
  path: string,
  auth: Record<string, string>,
  done: (body: TestResponse['body']) => boolean,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await stack.request('GET', path, undefined, auth);
    if (done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} stuck: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A card payment paid on the sandbox's page, then a part refunded: all as the council. */
async function payAndRefund(auth: Record<string, string>) {
  const created = await stack.request(
    'POST',
    '/v1/payments',
    {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 2_500 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    },
    auth,
  );
  expect(created.status).toBe(201);
  const paymentId: string = created.body.paymentId;
  await fetch(`${created.body.nextUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await waitFor(`/v1/payments/${paymentId}`, auth, (body) => body.state === 'allocated');
  const refund = await stack.request(
    'POST',
    '/v1/refunds',
    { paymentId, amountPence: 1_000, reason: 'Paid twice' },
    auth,
  );
  expect(refund.status, refund.text).toBe(201);
  const done = await waitFor(`/v1/refunds/${refund.body.refundId}`, auth, (body) =>
    ['succeeded', 'failed', 'rejected'].includes(body.state),
  );
  return { paymentId, refundId: refund.body.refundId as string, state: done.state as string };
}

describe('two councils paying and refunding at once', () => {
  it('each refund its own payment, and each ledger balances on its own', async () => {
    const [mine, theirs] = await Promise.all([
      payAndRefund(councils.default!),
      payAndRefund(councils[other]!),
    ]);
    expect([mine.state, theirs.state]).toEqual(['succeeded', 'succeeded']);
    const owners = await stack.database.sql<{ id: string; council_id: string }[]>`
      select id, council_id from refunds where id in ${stack.database.sql([mine.refundId, theirs.refundId])}`;
    expect(Object.fromEntries(owners.map((row) => [row.id, row.council_id]))).toEqual({
      [mine.refundId]: 'default',
      [theirs.refundId]: other,
    });
    // Neither council sees the other's refund.
    const crossed = await stack.request(
      'GET',
      `/v1/refunds/${mine.refundId}`,
      undefined,
      councils[other],
    );
    expect(crossed.status).toBe(404);
    for (const councilId of ['default', other]) {
      const [sums] = await stack.database.sql<{ debit: number; credit: number; lines: number }[]>`
        select coalesce(sum(debit_pence), 0)::bigint as debit,
               coalesce(sum(credit_pence), 0)::bigint as credit, count(*)::int as lines
          from postings where council_id = ${councilId}`;
      expect(sums?.lines, councilId).toBeGreaterThan(0);
      expect(sums?.debit, councilId).toBe(sums?.credit);
    }
    // Each refund's journal is in its own council's ledger, debiting its own CTAX fund.
    for (const [councilId, refundId] of [
      ['default', mine.refundId],
      [other, theirs.refundId],
    ] as const) {
      const [debited] = await stack.database.sql<{ pence: number }[]>`
        select coalesce(sum(p.debit_pence), 0)::bigint as pence
          from refunds r join postings p on p.council_id = r.council_id and p.journal_id = r.journal_id
         where r.id = ${refundId} and r.council_id = ${councilId} and p.account_code = 'FUND:CTAX'`;
      expect(debited?.pence, councilId).toBe(1_000);
    }
  }, 120_000);
});
